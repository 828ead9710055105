import { mkdir, mkdtemp, rm, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { staleReason } from "./ensure-web-build.js";

let web: string;

/** Sets a file's modification time to `seconds` after the epoch, so that "newer" never depends on the clock. */
const age = (path: string, seconds: number) => utimes(join(web, path), seconds, seconds);

beforeEach(async () => {
  web = await mkdtemp(join(tmpdir(), "ensure-web-build-"));
  await mkdir(join(web, "src", "pages"), { recursive: true });
  await writeFile(join(web, "index.html"), "<!doctype html>");
  await writeFile(join(web, "vite.config.ts"), "export default {};");
  await writeFile(join(web, "src", "main.tsx"), "");
  await writeFile(join(web, "src", "pages", "TradePage.tsx"), "");
  for (const source of ["index.html", "vite.config.ts", "src/main.tsx", "src/pages/TradePage.tsx"]) {
    await age(source, 1_000);
  }
});

afterEach(() => rm(web, { recursive: true, force: true }));

async function build(atSeconds: number): Promise<void> {
  await mkdir(join(web, "dist"), { recursive: true });
  await writeFile(join(web, "dist", "index.html"), "built");
  await age("dist/index.html", atSeconds);
}

describe("staleReason", () => {
  it("asks for a build when web/dist does not exist", () => {
    expect(staleReason(web)).toBe("web/dist is missing");
  });

  it("accepts a build newer than every source", async () => {
    await build(2_000);
    expect(staleReason(web)).toBeUndefined();
  });

  it.each(["index.html", "vite.config.ts", "src/pages/TradePage.tsx"])(
    "names %s when it changed after the build",
    async (source) => {
      await build(2_000);
      await age(source, 3_000);
      expect(staleReason(web)).toBe(`${source} changed since the last build`);
    },
  );
});
