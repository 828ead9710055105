/**
 * `npm start`'s prestart step: builds the web app into web/dist when that build is missing or older than its
 * sources, so that a fresh clone serves the real app at once and an edited one never serves a stale build.
 * Prints one line; when the build fails, prints the build's output and the reason, and exits 1.
 */

import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));

/** The files the build is made from: a change to any of them makes web/dist stale. */
export function webSources(webDirectory: string): string[] {
  const sources = [join(webDirectory, "index.html"), join(webDirectory, "vite.config.ts")];
  const walk = (directory: string) => {
    for (const entry of readdirSync(directory, { withFileTypes: true })) {
      const path = join(directory, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile()) sources.push(path);
    }
  };
  walk(join(webDirectory, "src"));
  return sources;
}

/** Why web/dist must be (re)built, or undefined when it is newer than every source. */
export function staleReason(webDirectory: string): string | undefined {
  const builtIndex = join(webDirectory, "dist", "index.html");
  if (!existsSync(builtIndex)) return "web/dist is missing";
  const builtAt = statSync(builtIndex).mtimeMs;
  const newer = webSources(webDirectory).find(
    (source) => existsSync(source) && statSync(source).mtimeMs > builtAt,
  );
  return newer === undefined
    ? undefined
    : `${newer.slice(webDirectory.length + 1)} changed since the last build`;
}

function main(): void {
  const webDirectory = join(root, "web");
  const reason = staleReason(webDirectory);
  if (reason === undefined) {
    console.log("web app: web/dist is up to date");
    return;
  }
  const vite = join(root, "node_modules", "vite", "bin", "vite.js");
  if (!existsSync(vite)) {
    console.error("web app: cannot build web/dist: vite is not installed (run npm ci)");
    process.exit(1);
  }
  const startedAt = performance.now();
  // Vite keeps an inherited NODE_ENV (vitest sets "test"), which would bundle React's development build.
  const build = spawnSync(process.execPath, [vite, "build", "--logLevel", "warn"], {
    cwd: webDirectory,
    encoding: "utf8",
    env: { ...process.env, NODE_ENV: "production" },
  });
  if (build.status !== 0) {
    process.stderr.write(build.stdout ?? "");
    process.stderr.write(build.stderr ?? "");
    const why = build.error?.message ?? `vite build exited with ${build.status ?? build.signal}`;
    console.error(`web app: building web/dist failed (${why})`);
    process.exit(1);
  }
  const seconds = ((performance.now() - startedAt) / 1000).toFixed(1);
  console.log(`web app: built web/dist in ${seconds} s (${reason})`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) main();
