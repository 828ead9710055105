import { type ChildProcess, spawn } from "node:child_process";
import { createInterface } from "node:readline";
import type { Readable, Writable } from "node:stream";

/** A program the supervisor keeps running. */
export interface ChildSpec {
  /** Short name, the prefix of every line it writes, e.g. `users`. */
  readonly name: string;
  readonly command: string;
  readonly args: readonly string[];
  /** Its whole environment: nothing is inherited beyond it. */
  readonly env: NodeJS.ProcessEnv;
  readonly cwd?: string;
}

/**
 * How long to wait before starting a crashed child again: `initialDelayMs`, doubled after each crash
 * up to `maxDelayMs`, and back to `initialDelayMs` once a run has lasted `resetAfterMs`.
 */
export interface RestartPolicy {
  readonly initialDelayMs: number;
  readonly maxDelayMs: number;
  readonly resetAfterMs: number;
}

export const defaultRestartPolicy: RestartPolicy = {
  initialDelayMs: 500,
  maxDelayMs: 10_000,
  resetAfterMs: 30_000,
};

export interface SupervisorOptions {
  /** Where the children's lines go, prefixed: their stdout and their stderr. */
  readonly stdout: Writable;
  readonly stderr: Writable;
  /** The supervisor's own messages: each start (with its pid), exit and restart. */
  readonly log: (message: string) => void;
  readonly restart?: RestartPolicy;
  /** How long a child may take to exit after SIGTERM before it gets SIGKILL (default 10 s). */
  readonly stopGraceMs?: number;
  /** The width the names are padded to in the prefix (default 10). */
  readonly nameWidth?: number;
}

export interface ChildExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** A child under supervision, across its restarts. */
export interface SupervisedChild {
  readonly name: string;
  /** The process running now; undefined while a restart is pending or after the stop. */
  readonly pid: number | undefined;
  /** How many times it has been started. */
  readonly starts: number;
  /** How its last process ended; undefined while the first one runs. */
  readonly lastExit: ChildExit | undefined;
}

/** One supervised program: its current process and its restart schedule. */
class Supervised implements SupervisedChild {
  starts = 0;
  lastExit: ChildExit | undefined;
  process: ChildProcess | undefined;
  closed: Promise<void> = Promise.resolve();
  restartTimer: NodeJS.Timeout | undefined;
  nextDelayMs: number;

  constructor(
    readonly spec: ChildSpec,
    initialDelayMs: number,
  ) {
    this.nextDelayMs = initialDelayMs;
  }

  get name(): string {
    return this.spec.name;
  }

  get pid(): number | undefined {
    return this.process?.pid;
  }
}

/**
 * Runs programs as child processes, writes every line they print with their name in front
 * (`users      | ...`), starts again any child that exits while the supervisor is not stopping,
 * and stops them all with SIGTERM (SIGKILL after the grace period).
 *
 * Each child is spawned in its own process group, so that a Ctrl-C in the terminal reaches only the
 * launcher, which then stops the children in order; and with an IPC channel, which closes when the
 * launcher dies however it dies, so that a child can stop itself instead of lingering.
 */
export class Supervisor {
  private readonly children: Supervised[] = [];
  private readonly restart: RestartPolicy;
  private readonly stopGraceMs: number;
  private readonly nameWidth: number;
  private stopping = false;

  constructor(private readonly options: SupervisorOptions) {
    this.restart = options.restart ?? defaultRestartPolicy;
    this.stopGraceMs = options.stopGraceMs ?? 10_000;
    this.nameWidth = options.nameWidth ?? 10;
  }

  /** Starts `spec` and keeps it running until `stop`. */
  start(spec: ChildSpec): SupervisedChild {
    if (this.stopping) throw new Error(`supervisor is stopping: not starting ${spec.name}`);
    const child = new Supervised(spec, this.restart.initialDelayMs);
    this.children.push(child);
    this.spawn(child);
    return child;
  }

  /** Stops every child: SIGTERM, then SIGKILL to any still running after the grace period. */
  async stop(): Promise<void> {
    this.stopping = true;
    await Promise.all(this.children.map((child) => this.terminate(child)));
  }

  private spawn(child: Supervised): void {
    const { spec } = child;
    const running = spawn(spec.command, [...spec.args], {
      cwd: spec.cwd,
      env: spec.env,
      stdio: ["ignore", "pipe", "pipe", "ipc"],
      detached: true,
    });
    child.process = running;
    child.starts++;
    this.options.log(`${spec.name} started (pid ${running.pid})`);
    const startedAt = Date.now();
    const prefix = `${spec.name.padEnd(this.nameWidth)} | `;
    const relayed = [
      this.relayLines(running.stdout, prefix, this.options.stdout),
      this.relayLines(running.stderr, prefix, this.options.stderr),
    ];
    running.on("error", (error) => this.options.log(`${spec.name}: ${error.message}`));
    const exited = new Promise<ChildExit>((resolve) =>
      running.once("exit", (code, signal) => resolve({ code, signal })),
    );
    child.closed = Promise.all([exited, ...relayed]).then(([exit]) => {
      child.process = undefined;
      child.lastExit = exit;
      this.afterExit(child, exit, Date.now() - startedAt);
    });
  }

  private afterExit(child: Supervised, exit: ChildExit, upMs: number): void {
    const how = exit.signal === null ? `code ${exit.code}` : `signal ${exit.signal}`;
    if (this.stopping) {
      this.options.log(`${child.name} exited (${how})`);
      return;
    }
    if (upMs >= this.restart.resetAfterMs) child.nextDelayMs = this.restart.initialDelayMs;
    const delayMs = child.nextDelayMs;
    child.nextDelayMs = Math.min(delayMs * 2, this.restart.maxDelayMs);
    this.options.log(`${child.name} exited unexpectedly (${how}); restarting in ${delayMs} ms`);
    child.restartTimer = setTimeout(() => {
      child.restartTimer = undefined;
      if (!this.stopping) this.spawn(child);
    }, delayMs);
  }

  private async terminate(child: Supervised): Promise<void> {
    clearTimeout(child.restartTimer);
    child.restartTimer = undefined;
    const running = child.process;
    if (running === undefined || running.exitCode !== null || running.signalCode !== null) {
      await child.closed;
      return;
    }
    running.kill("SIGTERM");
    const kill = setTimeout(() => {
      this.options.log(`${child.name} still running ${this.stopGraceMs} ms after SIGTERM: SIGKILL`);
      running.kill("SIGKILL");
    }, this.stopGraceMs);
    await child.closed;
    clearTimeout(kill);
  }

  /** Writes each whole line of `stream` to `out` behind `prefix`; resolves when the stream ends. */
  private relayLines(stream: Readable | null, prefix: string, out: Writable): Promise<void> {
    if (stream === null) return Promise.resolve();
    const lines = createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY });
    lines.on("line", (line) => out.write(`${prefix}${line}\n`));
    return new Promise((resolve) => lines.once("close", resolve));
  }
}
