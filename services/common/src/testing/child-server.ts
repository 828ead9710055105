import { type ChildProcess, spawn } from "node:child_process";
import { connect } from "node:net";

/** A server process started by the tests, stopped with `stop()`. */
export interface ChildServer {
  readonly name: string;
  readonly port: number;
  stop(): Promise<void>;
}

/** Resolves once something accepts TCP connections on the port, or rejects after `timeoutMs`. */
export async function waitForPort(port: number, timeoutMs: number, child?: ChildProcess): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child && child.exitCode !== null) {
      throw new Error(`process exited with code ${child.exitCode} before listening on port ${port}`);
    }
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect({ port, host: "127.0.0.1" });
      socket.once("connect", () => {
        socket.destroy();
        resolve(true);
      });
      socket.once("error", () => resolve(false));
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`nothing listened on port ${port} within ${timeoutMs} ms`);
}

/** Stops a child process: SIGTERM, then SIGKILL if it lingers. */
export function stopChild(child: ChildProcess, graceMs = 3000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill("SIGTERM");
  });
}

/** Spawns `command` and waits until it listens on `port`. */
export async function startChildServer(
  name: string,
  command: string,
  args: string[],
  port: number,
  timeoutMs = 30_000,
): Promise<ChildServer> {
  const child = spawn(command, args, { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const spawnError = new Promise<never>((_, reject) => child.once("error", reject));
  try {
    await Promise.race([waitForPort(port, timeoutMs, child), spawnError]);
  } catch (error) {
    await stopChild(child);
    throw new Error(`${name} did not start: ${(error as Error).message}${stderr ? `\n${stderr}` : ""}`);
  }
  return { name, port, stop: () => stopChild(child) };
}
