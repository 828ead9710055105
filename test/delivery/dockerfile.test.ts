/**
 * The Dockerfile, read as Docker reads it (dockerfile-ast), since no Docker engine runs here: the image
 * that `docker build` produces by default runs the compiled service with production dependencies only,
 * as a non-root user, under tini.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Copy, DockerfileParser, type Instruction } from "dockerfile-ast";
import { describe, expect, it } from "vitest";

const repositoryRoot = fileURLToPath(new URL("../..", import.meta.url));
const dockerfile = DockerfileParser.parse(readFileSync(`${repositoryRoot}/Dockerfile`, "utf8"));

interface Stage {
  readonly name: string | null;
  /** The image or the earlier stage it starts from. */
  readonly from: string;
  readonly instructions: Instruction[];
}

/** The build stages in order; the last is the image `docker build` produces without --target. */
function stagesOf(instructions: Instruction[]): Stage[] {
  const stages: Stage[] = [];
  for (const instruction of instructions) {
    if (instruction.getKeyword() === "FROM") {
      const [from, as, name] = instruction.getArguments().map((argument) => argument.getValue());
      if (from === undefined)
        throw new Error(`FROM without an image on line ${instruction.getRange().start.line}`);
      stages.push({ name: as?.toUpperCase() === "AS" ? (name ?? null) : null, from, instructions: [] });
    } else {
      stages.at(-1)?.instructions.push(instruction);
    }
  }
  return stages;
}

const stages = stagesOf(dockerfile.getInstructions());
const finalStage = stages.at(-1) as Stage;

function stageNamed(name: string): Stage {
  const stage = stages.find((candidate) => candidate.name === name);
  if (!stage) throw new Error(`no stage named ${name}`);
  return stage;
}

/** The stage and every stage it is built on, nearest first. */
function lineage(stage: Stage): Stage[] {
  const parent = stages.find((candidate) => candidate.name === stage.from);
  return parent ? [stage, ...lineage(parent)] : [stage];
}

const argumentsOf = (instruction: Instruction) =>
  instruction.getArguments().map((argument) => argument.getValue());
const keyword = (stage: Stage, name: string) => stage.instructions.filter((i) => i.getKeyword() === name);
const runs = (stage: Stage) =>
  keyword(stage, "RUN").map((instruction) => instruction.getArgumentsContent() ?? "");

/** The COPY --from=<stage> instructions of a stage. */
function copiesFromStages(stage: Stage): Array<{ from: string; sources: string[]; destination: string }> {
  return stage.instructions.flatMap((instruction) => {
    if (!(instruction instanceof Copy)) return [];
    const from = instruction.getFromFlag()?.getValue();
    if (!from) return [];
    const paths = argumentsOf(instruction);
    return [{ from, sources: paths.slice(0, -1), destination: paths.at(-1) ?? "" }];
  });
}

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
    const { workspaces } = JSON.parse(readFileSync(`${repositoryRoot}/package.json`, "utf8")) as {
      workspaces: string[];
    };
    const manifests = keyword(stageNamed("manifests"), "COPY").map(
      (instruction) => argumentsOf(instruction)[0],
    );
    expect(manifests).toEqual([
      "package.json",
      ...workspaces.map((workspace) => `${workspace}/package.json`),
    ]);
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
