import { createLogger } from "@bourse/common";
import { Code, ConnectError } from "@connectrpc/connect";
import { describe, expect, it, vi } from "vitest";
import { nextDelayMs, runQuoteLoop } from "./quote-loop.js";

describe("nextDelayMs", () => {
  it("waits the refresh interval, doubles it for each failure in a row, and caps it", () => {
    expect([0, 1, 2, 3, 10, 1_000].map((failures) => nextDelayMs(failures, 100, 1_000))).toEqual([
      100, 200, 400, 800, 1_000, 1_000,
    ]);
  });
});

describe("runQuoteLoop", () => {
  it("survives failing cycles, logging an outage once and the recovery once", async () => {
    const logger = createLogger("marketmaker", { level: "silent" });
    const warn = vi.spyOn(logger, "warn");
    const info = vi.spyOn(logger, "info");
    const stop = new AbortController();
    const unavailable = new ConnectError("connect ECONNREFUSED 127.0.0.1:50053", Code.Unavailable);
    const script: Array<"fail" | "ok"> = ["fail", "fail", "fail", "ok", "ok"];
    const outcomes: string[] = [];
    await runQuoteLoop(
      async () => {
        const next = script.shift();
        if (script.length === 0) stop.abort();
        if (next === "fail") throw unavailable;
      },
      {
        refreshMs: 1,
        maxBackoffMs: 4,
        logger,
        signal: stop.signal,
        onCycle: (outcome) => outcomes.push(outcome),
      },
    );
    expect(outcomes).toEqual(["failed", "failed", "failed", "ok", "ok"]);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0]?.[1]).toBe("quote cycle failed; retrying with backoff");
    expect(info).toHaveBeenCalledTimes(1);
    expect(info.mock.calls[0]?.[1]).toBe("quoting again: the exchange answers");
  });

  it("logs again when the problem changes", async () => {
    const logger = createLogger("marketmaker", { level: "silent" });
    const warn = vi.spyOn(logger, "warn");
    const stop = new AbortController();
    const problems = [
      new ConnectError("down", Code.Unavailable),
      new ConnectError("down", Code.Unavailable),
      new ConnectError("wrong password", Code.Unauthenticated),
    ];
    await runQuoteLoop(
      async () => {
        const problem = problems.shift();
        if (problem) throw problem;
        stop.abort();
      },
      { refreshMs: 1, maxBackoffMs: 2, logger, signal: stop.signal },
    );
    expect(warn).toHaveBeenCalledTimes(2);
  });
});
