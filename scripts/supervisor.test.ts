import { Writable } from "node:stream";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { launchTypeScript } from "@bourse/common/testing";
import { afterEach, describe, expect, it } from "vitest";
import { type ChildSpec, type SupervisedChild, Supervisor } from "./supervisor.js";

const childEntry = fileURLToPath(new URL("./fixtures/supervised-child.ts", import.meta.url));
const launcherEntry = fileURLToPath(new URL("./fixtures/supervising-launcher.ts", import.meta.url));
const serviceEntry = fileURLToPath(
  new URL("../services/common/src/server/fixtures/sample-main.ts", import.meta.url),
);

/** A writable that keeps what it is given. */
class Collected extends Writable {
  text = "";
  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

const supervisors: Supervisor[] = [];

function supervise(options: { stopGraceMs?: number; initialDelayMs?: number; resetAfterMs?: number } = {}) {
  const stdout = new Collected();
  const stderr = new Collected();
  const log: string[] = [];
  const supervisor = new Supervisor({
    stdout,
    stderr,
    log: (message) => log.push(message),
    stopGraceMs: options.stopGraceMs,
    restart: {
      initialDelayMs: options.initialDelayMs ?? 20,
      maxDelayMs: 1_000,
      resetAfterMs: options.resetAfterMs ?? 60_000,
    },
  });
  supervisors.push(supervisor);
  return { supervisor, stdout, stderr, log };
}

const fixtureChild = (name: string, env: Record<string, string> = {}): ChildSpec => ({
  name,
  command: process.execPath,
  args: ["--import", "tsx", childEntry],
  env: { ...process.env, ...env },
});

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let attempt = 0; attempt < 600; attempt++) {
    if (condition()) return;
    await sleep(50);
  }
  throw new Error(`gave up waiting for ${what}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

afterEach(async () => {
  await Promise.all(supervisors.splice(0).map((supervisor) => supervisor.stop()));
});

describe("Supervisor", () => {
  it("writes every line of a child's stdout and stderr behind its padded name", async () => {
    const { supervisor, stdout, stderr } = supervise();
    const child = supervisor.start(fixtureChild("users"));
    await until(() => stderr.text.includes("stderr"), "the child's lines");
    expect(stdout.text).toBe(`users      | started pid ${child.pid}\n`);
    expect(stderr.text).toBe("users      | a line on stderr\n");
  });

  it("starts a crashed child again, doubling the delay, and logs each exit and restart", async () => {
    const { supervisor, log, stdout } = supervise({ initialDelayMs: 20 });
    const child = supervisor.start(
      fixtureChild("matching", { FIXTURE_EXIT_AFTER_MS: "100", FIXTURE_EXIT_CODE: "3" }),
    );
    await until(() => child.starts >= 3, "two restarts");
    expect(log).toContain("matching exited unexpectedly (code 3); restarting in 20 ms");
    expect(log).toContain("matching exited unexpectedly (code 3); restarting in 40 ms");
    expect(log.filter((message) => message.startsWith("matching started (pid "))).toHaveLength(child.starts);
    expect(stdout.text.match(/^matching {3}\| started pid/gm)?.length).toBeGreaterThanOrEqual(2);
  });

  it("goes back to the first delay after a run that lasted the reset period", async () => {
    const { supervisor, log } = supervise({ initialDelayMs: 20, resetAfterMs: 50 });
    const child = supervisor.start(
      fixtureChild("orders", { FIXTURE_EXIT_AFTER_MS: "300", FIXTURE_EXIT_CODE: "1" }),
    );
    await until(() => child.starts >= 3, "two restarts");
    expect(log.filter((message) => message.startsWith("orders exited unexpectedly"))).toEqual([
      "orders exited unexpectedly (code 1); restarting in 20 ms",
      "orders exited unexpectedly (code 1); restarting in 20 ms",
    ]);
  });

  it("stops children with SIGTERM and starts none again", async () => {
    const { supervisor, log, stdout } = supervise({ initialDelayMs: 10 });
    const children = [supervisor.start(fixtureChild("users")), supervisor.start(fixtureChild("inventory"))];
    await until(() => (stdout.text.match(/started pid/g) ?? []).length === 2, "both children");
    const pids = children.map((child) => child.pid ?? 0);
    await supervisor.stop();
    for (const child of children) {
      expect(child.lastExit).toEqual({ code: 0, signal: null });
      expect(child.pid).toBeUndefined();
    }
    expect(pids.some(isAlive)).toBe(false);
    await sleep(200);
    expect(children.map((child: SupervisedChild) => child.starts)).toEqual([1, 1]);
    expect(log.filter((message) => message.includes("exited")).sort()).toEqual([
      "inventory exited (code 0)",
      "users exited (code 0)",
    ]);
    expect(log).toContain(`users started (pid ${pids[0]})`);
  });

  it("does not start again a crashed child whose restart was pending at the stop", async () => {
    const { supervisor, log } = supervise({ initialDelayMs: 500 });
    const child = supervisor.start(fixtureChild("gateway", { FIXTURE_EXIT_AFTER_MS: "0" }));
    await until(() => child.lastExit !== undefined, "the crash");
    await supervisor.stop();
    await sleep(700);
    expect(child.starts).toBe(1);
    expect(log.filter((message) => message.startsWith("gateway started"))).toHaveLength(1);
  });

  it("kills a child that is still running after the grace period", async () => {
    const { supervisor, log, stdout } = supervise({ stopGraceMs: 300 });
    const child = supervisor.start(fixtureChild("stubborn", { FIXTURE_IGNORE_SIGTERM: "true" }));
    await until(() => stdout.text.includes("started pid"), "the child");
    await supervisor.stop();
    expect(stdout.text).toContain("stubborn   | ignoring SIGTERM");
    expect(child.lastExit).toEqual({ code: null, signal: "SIGKILL" });
    expect(log).toContain("stubborn still running 300 ms after SIGTERM: SIGKILL");
  });

  it("leaves no child behind when the launcher itself is killed", async () => {
    const launcher = launchTypeScript(launcherEntry, { env: process.env });
    const line = await launcher.logLine(/launched child pid \d+/);
    await launcher.logLine(/child {6}\| started pid/);
    const childPid = Number(line.match(/pid (\d+)/)?.[1]);
    expect(isAlive(childPid)).toBe(true);
    launcher.child.kill("SIGKILL");
    await launcher.exited;
    await until(() => !isAlive(childPid), "the child to exit");
  });

  it("leaves no service behind when the launcher is killed while the service logs", async () => {
    const launcher = launchTypeScript(launcherEntry, {
      env: { ...process.env, BIND_HOST: "127.0.0.1", RPC_PORT: "0", ADMIN_PORT: "0", LOG_LEVEL: "debug" },
      args: [serviceEntry],
    });
    const line = await launcher.logLine(/launched child pid \d+/);
    await launcher.logLine(/child {6}\| .*listening/);
    const servicePid = Number(line.match(/pid (\d+)/)?.[1]);
    launcher.child.kill("SIGKILL");
    await launcher.exited;
    await until(() => !isAlive(servicePid), "the service to exit");
  });
});
