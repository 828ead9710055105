import { setTimeout as sleep } from "node:timers/promises";
import type { Logger } from "@bourse/common";
import { ConnectError } from "@connectrpc/connect";

export interface QuoteLoopOptions {
  readonly refreshMs: number;
  readonly maxBackoffMs: number;
  readonly logger: Logger;
  readonly signal: AbortSignal;
  readonly onCycle?: (outcome: "ok" | "failed") => void;
}

/** The wait before the next cycle: the refresh interval, doubled for each failure in a row, capped. */
export function nextDelayMs(failures: number, refreshMs: number, maxBackoffMs: number): number {
  if (failures === 0) return refreshMs;
  return Math.min(maxBackoffMs, refreshMs * 2 ** Math.min(failures, 20));
}

/**
 * Runs `cycle` every `refreshMs` until `signal` aborts. A failing cycle (a service not up yet or
 * briefly gone) is retried with exponential backoff; the failure is logged when it starts or changes,
 * and the recovery once, so an outage does not fill the log.
 */
export async function runQuoteLoop(cycle: () => Promise<void>, options: QuoteLoopOptions): Promise<void> {
  const { logger, signal } = options;
  let failures = 0;
  let lastProblem: string | undefined;
  while (!signal.aborted) {
    try {
      await cycle();
      if (failures > 0) logger.info({ failed_cycles: failures }, "quoting again: the exchange answers");
      failures = 0;
      lastProblem = undefined;
      options.onCycle?.("ok");
    } catch (error) {
      if (signal.aborted) break;
      failures++;
      options.onCycle?.("failed");
      const problem = ConnectError.from(error).message;
      if (problem !== lastProblem) {
        logger.warn(
          { err: problem, retry_in_ms: nextDelayMs(failures, options.refreshMs, options.maxBackoffMs) },
          "quote cycle failed; retrying with backoff",
        );
        lastProblem = problem;
      }
    }
    await sleep(nextDelayMs(failures, options.refreshMs, options.maxBackoffMs), undefined, { signal }).catch(
      () => undefined,
    );
  }
}
