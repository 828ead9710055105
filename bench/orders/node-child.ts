import { type ChildProcess, spawn } from "node:child_process";
import { setTimeout as sleep } from "node:timers/promises";
import { processCpuSeconds } from "./cpu-usage.js";

/** A TypeScript program the bench runs as its own Node process, with its inspector open on loopback. */
export interface NodeChild {
  readonly child: ChildProcess;
  /** The inspector's WebSocket URL, for the CPU profiler. */
  readonly inspectorUrl: string;
  /** The first whole line it printed (among those still kept) or prints that matches `pattern`; rejects if it exits first. */
  line(pattern: RegExp): Promise<string>;
  /** The last few kilobytes it printed, for error messages. */
  tail(): string;
  /** Its JSON log lines at warn level or above since the last call, counted by message. */
  takeProblems(): Map<string, number>;
  /** CPU time (user + system) the process used so far, in seconds; undefined where /proc is missing. */
  cpuSeconds(): number | undefined;
  stop(): Promise<void>;
}

const KEPT_BYTES = 64 * 1024;
/** pino's level number for `warn`. */
const WARN_LEVEL = 40;

/**
 * Runs `entry` with tsx in a new Node process with `--inspect` on a free loopback port. Its output is
 * read continuously (a full pipe would stall it) and only its tail is kept, since the exchange logs
 * every call.
 */
export async function startNodeChild(entry: string, env: NodeJS.ProcessEnv): Promise<NodeChild> {
  const child = spawn(process.execPath, ["--inspect=127.0.0.1:0", "--import", "tsx", entry], {
    cwd: new URL("../..", import.meta.url).pathname,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let kept = "";
  let problems = new Map<string, number>();
  const noteProblem = (line: string) => {
    if (!line.startsWith("{")) return;
    try {
      const entry = JSON.parse(line) as { level?: number; msg?: string; err?: { message?: string } };
      if ((entry.level ?? 0) < WARN_LEVEL) return;
      const cause = entry.err?.message;
      const message = `${entry.msg ?? ""}${cause ? `: ${cause.slice(0, 160)}` : ""}`;
      problems.set(message, (problems.get(message) ?? 0) + 1);
    } catch {
      // Not a log line after all.
    }
  };
  const matchers: Array<{ pattern: RegExp; resolve: (line: string) => void }> = [];
  let partial = "";
  const onData = (chunk: Buffer) => {
    const text = partial + chunk.toString();
    const lines = text.split("\n");
    partial = lines.pop() ?? "";
    for (const line of lines) {
      kept = `${kept}${line}\n`.slice(-KEPT_BYTES);
      noteProblem(line);
      for (const matcher of [...matchers]) {
        if (!matcher.pattern.test(line)) continue;
        matchers.splice(matchers.indexOf(matcher), 1);
        matcher.resolve(line);
      }
    }
  };
  child.stdout?.on("data", onData);
  child.stderr?.on("data", onData);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));

  const line = (pattern: RegExp) =>
    Promise.race([
      new Promise<string>((resolve) => {
        const seen = kept.split("\n").find((text) => pattern.test(text));
        if (seen !== undefined) resolve(seen);
        else matchers.push({ pattern, resolve });
      }),
      exited.then(() => {
        throw new Error(
          `${entry} exited (${child.exitCode ?? child.signalCode}) before printing ${pattern}:\n${kept}`,
        );
      }),
    ]);
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill("SIGTERM");
    const killed = sleep(10_000).then(() => child.kill("SIGKILL"));
    await Promise.race([exited, killed]);
    await exited;
  };
  const cpuSeconds = () => processCpuSeconds(child.pid);

  try {
    const listening = await line(/Debugger listening on ws:\/\//);
    const inspectorUrl = listening.slice(listening.indexOf("ws://")).trim();
    const takeProblems = () => {
      const taken = problems;
      problems = new Map();
      return taken;
    };
    return { child, inspectorUrl, line, tail: () => kept, takeProblems, cpuSeconds, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
