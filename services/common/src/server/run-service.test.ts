import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { launchTypeScript } from "../testing/launched-process.js";

const entry = fileURLToPath(new URL("./fixtures/sample-main.ts", import.meta.url));
const children: ChildProcess[] = [];

function launch(env: Record<string, string>) {
  const service = launchTypeScript(entry, {
    env: { ...process.env, BIND_HOST: "127.0.0.1", RPC_PORT: "0", ADMIN_PORT: "0", ...env },
  });
  children.push(service.child);
  return service;
}

afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill("SIGKILL");
});

describe("a service process", () => {
  it("logs where it listens and exits 0 after draining on SIGTERM", async () => {
    const service = launch({});
    const listening = JSON.parse(await service.logLine(/listening/));
    expect(listening.admin_port).toBeGreaterThan(0);
    const ready = await fetch(`http://127.0.0.1:${listening.admin_port}/readyz`);
    expect(ready.status).toBe(200);
    service.child.kill("SIGTERM");
    expect(await service.exited).toBe(0);
    expect(service.output()).toMatch(/shutting down: reporting not ready[\s\S]*"stopped"/);
  });

  it("drains and exits 0 when its launcher goes away, closing the IPC channel and the output pipes", async () => {
    const child = spawn(process.execPath, ["--import", "tsx", entry], {
      env: { ...process.env, BIND_HOST: "127.0.0.1", RPC_PORT: "0", ADMIN_PORT: "0" },
      stdio: ["ignore", "pipe", "pipe", "ipc"],
    });
    children.push(child);
    let output = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    const exited = once(child, "exit");
    while (!output.includes("listening")) await new Promise((resolve) => setTimeout(resolve, 50));
    const { admin_port: adminPort } = JSON.parse(
      output.split("\n").find((line) => line.includes("listening")) ?? "{}",
    );
    // As when the launcher dies: nobody reads what the service writes any more.
    child.stdout?.destroy();
    child.stderr?.destroy();
    child.disconnect();
    // 0 once drained; the deadline for a stop that hangs would exit 1. Its output is discarded by then.
    expect(await exited).toEqual([0, null]);
    await expect(fetch(`http://127.0.0.1:${adminPort}/healthz`)).rejects.toThrow();
  });

  it("exits 2 naming each bad variable", async () => {
    const service = launch({ RPC_PORT: "seventy", LOG_LEVEL: "shouty" });
    expect(await service.exited).toBe(2);
    expect(service.output()).toContain("RPC_PORT");
    expect(service.output()).toContain("LOG_LEVEL");
  });
});
