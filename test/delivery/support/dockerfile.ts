/** The root Dockerfile as Docker reads it (dockerfile-ast): its build stages and what they run and copy. */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Copy, DockerfileParser, type Instruction } from "dockerfile-ast";

const repositoryRoot = fileURLToPath(new URL("../../..", import.meta.url));

export const dockerfile = DockerfileParser.parse(readFileSync(`${repositoryRoot}/Dockerfile`, "utf8"));

export interface Stage {
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

export const stages = stagesOf(dockerfile.getInstructions());
export const finalStage = stages.at(-1) as Stage;

export function stageNamed(name: string): Stage {
  const stage = stages.find((candidate) => candidate.name === name);
  if (!stage) throw new Error(`no stage named ${name}`);
  return stage;
}

/** The stage and every stage it is built on, nearest first. */
export function lineage(stage: Stage): Stage[] {
  const parent = stages.find((candidate) => candidate.name === stage.from);
  return parent ? [stage, ...lineage(parent)] : [stage];
}

export const argumentsOf = (instruction: Instruction) =>
  instruction.getArguments().map((argument) => argument.getValue());

export const keyword = (stage: Stage, name: string) =>
  stage.instructions.filter((instruction) => instruction.getKeyword() === name);

/** The shell commands of a stage's RUN instructions, line continuations joined. */
export const runs = (stage: Stage) =>
  keyword(stage, "RUN").map((instruction) =>
    (instruction.getArgumentsContent() ?? "").replace(/\\\n\s*/g, ""),
  );

/** The COPY --from=<stage> instructions of a stage. */
export function copiesFromStages(
  stage: Stage,
): Array<{ from: string; sources: string[]; destination: string }> {
  return stage.instructions.flatMap((instruction) => {
    if (!(instruction instanceof Copy)) return [];
    const from = instruction.getFromFlag()?.getValue();
    if (!from) return [];
    const paths = argumentsOf(instruction);
    return [{ from, sources: paths.slice(0, -1), destination: paths.at(-1) ?? "" }];
  });
}

/** The production stage's `npm ci --omit=dev ...` command, without what follows it on the same RUN. */
export function productionInstallCommand(): string {
  const install = runs(stageNamed("production-dependencies"))
    .flatMap((run) => run.split("&&"))
    .map((command) => command.trim())
    .find((command) => command.startsWith("npm ci --omit=dev"));
  if (!install) throw new Error("the production-dependencies stage runs no npm ci --omit=dev");
  return install;
}
