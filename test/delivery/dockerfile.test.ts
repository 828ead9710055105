/**
 * The Dockerfile, read as Docker reads it (dockerfile-ast), since no Docker engine runs here: the image
 * that `docker build` produces by default runs the compiled service with production dependencies only,
 * as a non-root user, under tini.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import {
  argumentsOf,
  copiesFromStages,
  dockerfile,
  finalStage,
  keyword,
  lineage,
  productionInstallCommand,
  runs,
  stageNamed,
  stages,
} from "./support/dockerfile.js";

const repositoryRoot = fileURLToPath(new URL("../..", import.meta.url));
const { workspaces } = JSON.parse(readFileSync(`${repositoryRoot}/package.json`, "utf8")) as {
  workspaces: string[];
};

describe("the Dockerfile", () => {
  it("builds every stage on node:24-slim", () => {
    const nodeImage = dockerfile
      .getInitialARGs()
      .find((arg) => arg.getProperty()?.getName() === "NODE_IMAGE");
    expect(nodeImage?.getProperty()?.getValue()).toBe("node:24-slim");
    for (const stage of stages) expect(lineage(stage).at(-1)?.from).toBe(`\${NODE_IMAGE}`);
  });

  it("runs the final image as a non-root user given by number (runAsNonRoot can only verify a number)", () => {
    const users = keyword(finalStage, "USER").map((instruction) => instruction.getArgumentsContent() ?? "");
    const user = users.at(-1);
    expect(user).toMatch(/^[0-9]+(:[0-9]+)?$/);
    expect(user?.split(":")[0]).not.toBe("0");
  });

  it("has tini as its init, installed in a stage the final image is built on", () => {
    const entrypoint = keyword(finalStage, "ENTRYPOINT").at(-1);
    expect(entrypoint?.getArgumentsContent()).toBe('["/usr/bin/tini", "--"]');
    const installs = lineage(finalStage).flatMap(runs);
    expect(installs.some((run) => /apt-get install\b.*\btini\b/s.test(run))).toBe(true);
  });

  it("starts the compiled bundle with node, no TypeScript loader", () => {
    const command = keyword(finalStage, "CMD").at(-1)?.getArgumentsContent() ?? "";
    const program = JSON.parse(command) as string[];
    expect(program[0]).toBe("node");
    expect(program.at(-1)).toBe("dist/service/main.js");
    expect(program.join(" ")).not.toMatch(/tsx|\.ts\b|--experimental-strip-types/);
    const bundle = copiesFromStages(finalStage).find((copy) => copy.destination === "./dist/service");
    expect(bundle?.sources).toEqual([`/app/dist/\${SERVICE}`]);
    expect(runs(stageNamed(bundle?.from ?? "")).some((run) => run.startsWith("npm run build"))).toBe(true);
  });

  it("takes node_modules only from a stage that ran npm ci --omit=dev on the lock file", () => {
    const modules = copiesFromStages(finalStage).filter((copy) =>
      copy.sources.some((source) => source.includes("node_modules")),
    );
    expect(modules).toHaveLength(1);
    const installStage = stageNamed(modules[0]?.from ?? "");
    expect(
      lineage(installStage)
        .flatMap(runs)
        .filter((run) => /\bnpm (install|ci)\b/.test(run)),
    ).toEqual([expect.stringMatching(/^npm ci --omit=dev\b/)]);
    const copied = lineage(installStage).flatMap((stage) => keyword(stage, "COPY").flatMap(argumentsOf));
    expect(copied).toContain("package-lock.json");
  });

  it("copies the manifest of every workspace before npm ci, which refuses a lock file without them", () => {
    const manifests = keyword(stageNamed("manifests"), "COPY").map(
      (instruction) => argumentsOf(instruction)[0],
    );
    expect(manifests).toEqual([
      "package.json",
      ...workspaces.map((workspace) => `${workspace}/package.json`),
    ]);
  });

  it("installs the production dependencies of every workspace but web (Vite bundles those into web/dist)", () => {
    const named = [...productionInstallCommand().matchAll(/(?:^|\s)-w\s+(\S+)/g)].map((match) => match[1]);
    expect(named).toEqual(workspaces.filter((workspace) => workspace !== "web"));
  });

  it("puts the web app into the gateway image", () => {
    expect(
      runs(stageNamed("build")).some((run) => /"\$SERVICE" = gateway.*npm run build:web/.test(run)),
    ).toBe(true);
    expect(copiesFromStages(finalStage)).toContainEqual({
      from: "build",
      sources: ["/app/web/dist"],
      destination: "./web/dist",
    });
  });
});

describe("the .dockerignore", () => {
  const ignored = readFileSync(`${repositoryRoot}/.dockerignore`, "utf8")
    .split("\n")
    .filter((line) => line !== "" && !line.startsWith("#"));

  it("keeps local dependencies, outputs, history and secrets out of the build context", () => {
    expect(ignored).toEqual(expect.arrayContaining(["**/node_modules", "dist", "web/dist", ".git", ".env"]));
  });
});
