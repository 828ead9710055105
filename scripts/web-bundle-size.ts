/**
 * `npm run size:web`: the gzip size of the JavaScript each route of the web app loads before it can render,
 * from the build's manifest (run `npm run build:web` first): the entry with its static imports, plus the
 * route's page chunk with its own. Exits 1 when the first page, the markets page at `/`, is over the budget.
 */

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

/** The initial route's budget for gzip JavaScript (issue #12). */
const initialRouteBudget = 250 * 1024;

interface ManifestChunk {
  file: string;
  isEntry?: boolean;
  imports?: string[];
}

type Manifest = Record<string, ManifestChunk>;

/** Every chunk file a manifest key needs at once: itself and its static imports, transitively. */
export function staticClosure(manifest: Manifest, key: string, into = new Set<string>()): Set<string> {
  const chunk = manifest[key];
  if (!chunk || into.has(chunk.file)) return into;
  into.add(chunk.file);
  for (const imported of chunk.imports ?? []) staticClosure(manifest, imported, into);
  return into;
}

function main(): void {
  const dist = fileURLToPath(new URL("../web/dist/", import.meta.url));
  const manifest: Manifest = JSON.parse(readFileSync(join(dist, ".vite", "manifest.json"), "utf8"));
  const gzipSize = (file: string) => gzipSync(readFileSync(join(dist, file))).length;
  const entry = Object.keys(manifest).find((key) => manifest[key]?.isEntry);
  if (!entry) throw new Error("the manifest names no entry chunk");
  const pages = Object.keys(manifest)
    .filter((key) => /^src\/pages\/.+Page\.tsx$/.test(key))
    .sort();
  let initial = 0;
  for (const page of pages) {
    const files = staticClosure(manifest, page, staticClosure(manifest, entry));
    const total = [...files]
      .filter((file) => file.endsWith(".js"))
      .reduce((sum, file) => sum + gzipSize(file), 0);
    if (page === "src/pages/markets/MarketsPage.tsx") initial = total;
    console.log(`${page.padEnd(44)} ${(total / 1024).toFixed(1).padStart(7)} KB gzip JavaScript`);
  }
  console.log(
    `initial route (/): ${(initial / 1024).toFixed(1)} KB of a ${initialRouteBudget / 1024} KB budget`,
  );
  if (initial > initialRouteBudget) process.exit(1);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) main();
