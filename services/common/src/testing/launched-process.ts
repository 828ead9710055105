import { type ChildProcess, spawn } from "node:child_process";
import { setTimeout as sleep } from "node:timers/promises";

/** A TypeScript program a test runs as its own process, with everything it prints kept. */
export interface LaunchedProcess {
  readonly child: ChildProcess;
  /** Its exit code once it exits; null when a signal ended it. */
  readonly exited: Promise<number | null>;
  /** The first whole line it prints that matches `pattern`; rejects if it exits first. */
  logLine(pattern: RegExp): Promise<string>;
  /** Everything it printed on stdout and stderr so far, for assertions and failure messages. */
  output(): string;
}

/**
 * Runs `entry` with tsx in a new Node process whose environment is exactly `env`, as a container
 * or `npm start` would run it. The caller stops it (`child.kill`) when the test is done.
 */
export function launchTypeScript(
  entry: string,
  options: { env: NodeJS.ProcessEnv; cwd?: string; args?: readonly string[] },
): LaunchedProcess {
  const child = spawn(process.execPath, ["--import", "tsx", entry, ...(options.args ?? [])], {
    cwd: options.cwd,
    env: options.env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const keep = (chunk: Buffer) => {
    output += chunk.toString();
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  // Only lines already ended by a newline, so that a caller never parses half of a JSON log line.
  const wholeLines = () => output.split("\n").slice(0, -1);
  const logLine = async (pattern: RegExp) => {
    for (;;) {
      const line = wholeLines().find((text) => pattern.test(text));
      if (line !== undefined) return line;
      if (child.exitCode !== null || child.signalCode !== null) {
        throw new Error(
          `exited (${child.exitCode ?? child.signalCode}) before printing ${pattern}:\n${output}`,
        );
      }
      await sleep(50);
    }
  };
  return { child, exited, logLine, output: () => output };
}
