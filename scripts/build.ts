/**
 * `npm run build`: compiles every service, the gateway and the table initialiser ahead of time, one esbuild
 * bundle each (`dist/<name>/main.js`), so that a container runs plain JavaScript with no TypeScript loader.
 *
 * The workspace packages (@bourse/*, TypeScript) are bundled in; every npm package stays an import that
 * `npm ci --omit=dev` satisfies at run time, so native ones (argon2) and ones that load files or worker
 * threads by name (pino) work as they do from source.
 */
import { readFile, rm } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build, type Metafile, type Plugin } from "esbuild";

const repositoryRoot = fileURLToPath(new URL("..", import.meta.url));
/** Every bundle sits one directory below dist/, so one relative path from there serves them all. */
const bundleDirectory = path.join(repositoryRoot, "dist", "any-entry");

/** What the build produces: `dist/<name>/main.js` from each entry. */
export const buildEntries: Readonly<Record<string, string>> = {
  users: "services/users/src/main.ts",
  inventory: "services/inventory/src/main.ts",
  orders: "services/orders/src/main.ts",
  matching: "services/matching/src/main.ts",
  marketmaker: "services/marketmaker/src/main.ts",
  gateway: "gateway/src/main.ts",
  "db-init": "scripts/db-init.ts",
};

/** npm packages stay external; the workspace's own packages, relative imports and node: builtins do not. */
const npmPackagesExternal: Plugin = {
  name: "npm-packages-external",
  setup(builder) {
    builder.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.path.startsWith("@bourse/") || args.path.startsWith("node:")) return undefined;
      return { path: args.path, external: true };
    });
  },
};

/**
 * Source files find their data by URLs relative to themselves (the inventory's seed files, the gateway's
 * web/dist). In a bundle `import.meta.url` is the bundle's, so each such file gets its own source URL back,
 * expressed relative to the bundle: the image keeps those data directories where the repository has them,
 * and its bundles one directory below dist/, wherever this build writes them.
 */
const sourceRelativeUrls: Plugin = {
  name: "source-relative-urls",
  setup(builder) {
    builder.onLoad({ filter: /\.ts$/ }, async (args) => {
      if (args.path.includes(`${path.sep}node_modules${path.sep}`)) return undefined;
      const source = await readFile(args.path, "utf8");
      if (!source.includes("import.meta.url")) return { contents: source, loader: "ts" };
      const fromBundle = path.relative(bundleDirectory, args.path).split(path.sep).join("/");
      const ownUrl = `new URL(${JSON.stringify(fromBundle)}, import.meta.url).href`;
      return { contents: source.replaceAll("import.meta.url", ownUrl), loader: "ts" };
    });
  },
};

/** Builds every entry into `<outputRoot>/<name>/main.js`, replacing what was there. */
export async function buildServices(outputRoot = path.join(repositoryRoot, "dist")): Promise<Metafile[]> {
  await rm(outputRoot, { recursive: true, force: true });
  const results = await Promise.all(
    Object.entries(buildEntries).map(([name, entry]) =>
      build({
        entryPoints: [path.join(repositoryRoot, entry)],
        outfile: path.join(outputRoot, name, "main.js"),
        bundle: true,
        platform: "node",
        format: "esm",
        target: "node24",
        sourcemap: true,
        metafile: true,
        logLevel: "warning",
        plugins: [npmPackagesExternal, sourceRelativeUrls],
      }),
    ),
  );
  return results.map((result) => result.metafile);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const metafile of await buildServices()) {
    for (const [file, output] of Object.entries(metafile.outputs)) {
      if (file.endsWith(".js")) console.log(`${file}  ${Math.round(output.bytes / 1024)} KiB`);
    }
  }
}
