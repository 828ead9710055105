import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";

/** How long a closed-loop run lasts: whichever of its duration or its call count comes first. */
export interface LoadLimit {
  readonly seconds: number;
  /** Calls in flight at once, each started as soon as the previous one of its lane answered. */
  readonly concurrency: number;
  /** Stops earlier once this many calls have started; none when absent. */
  readonly maxCalls?: number;
}

export interface LoadResult {
  /** Calls that answered, failures included. */
  readonly calls: number;
  readonly failures: number;
  readonly seconds: number;
  /** Latency of every answered call, in milliseconds, sorted. */
  readonly latenciesMs: Float64Array;
  /** Failures by message, so a run that measured errors says so. */
  readonly failureMessages: ReadonlyMap<string, number>;
}

/**
 * Keeps `concurrency` lanes busy, each calling `call(lane, index)` again as soon as its previous call
 * answered, until the deadline. A failed call is counted and timed, and its lane goes on.
 */
export async function closedLoop(
  limit: LoadLimit,
  call: (lane: number, index: number) => Promise<unknown>,
): Promise<LoadResult> {
  const latencies: number[] = [];
  const failureMessages = new Map<string, number>();
  let failures = 0;
  let started = 0;
  const begin = performance.now();
  const deadline = begin + limit.seconds * 1000;
  const more = () =>
    performance.now() < deadline && (limit.maxCalls === undefined || started < limit.maxCalls);
  await Promise.all(
    Array.from({ length: limit.concurrency }, async (_, lane) => {
      while (more()) {
        const index = started++;
        const callStart = performance.now();
        try {
          await call(lane, index);
        } catch (error) {
          failures++;
          const message = (error as Error).message.slice(0, 160);
          failureMessages.set(message, (failureMessages.get(message) ?? 0) + 1);
        }
        latencies.push(performance.now() - callStart);
      }
    }),
  );
  const seconds = (performance.now() - begin) / 1000;
  return {
    calls: latencies.length,
    failures,
    seconds,
    latenciesMs: Float64Array.from(latencies).sort(),
    failureMessages,
  };
}

/** How an open-loop run is paced. */
export interface PacedLimit {
  readonly seconds: number;
  /** Calls started per second, on a timer, whether or not earlier calls have answered. */
  readonly callsPerSecond: number;
}

export interface PacedResult extends LoadResult {
  /** How late each call started after its scheduled time, in milliseconds, sorted: the pacer's own lag. */
  readonly startLagMs: Float64Array;
  /** The most calls that were in flight at once. */
  readonly maxInFlight: number;
}

/**
 * Starts `call(index)` at a fixed rate, call i at i ÷ callsPerSecond seconds after the start, without
 * waiting for earlier calls to answer (an open loop: a slow answer does not slow the offered load), until
 * the duration is over, then waits for the calls in flight. A failed call is counted and timed.
 */
export async function openLoop(
  limit: PacedLimit,
  call: (index: number) => Promise<unknown>,
): Promise<PacedResult> {
  const latencies: number[] = [];
  const startLags: number[] = [];
  const failureMessages = new Map<string, number>();
  const inFlight = new Set<Promise<void>>();
  let failures = 0;
  let maxInFlight = 0;
  const intervalMs = 1000 / limit.callsPerSecond;
  const total = Math.floor(limit.seconds * limit.callsPerSecond);
  const begin = performance.now();
  const issue = (index: number) => {
    const callStart = performance.now();
    startLags.push(callStart - (begin + index * intervalMs));
    const pending = call(index).then(
      () => undefined,
      (error: unknown) => {
        failures++;
        const message = (error as Error).message.slice(0, 160);
        failureMessages.set(message, (failureMessages.get(message) ?? 0) + 1);
      },
    );
    const settled = pending.then(() => {
      latencies.push(performance.now() - callStart);
      inFlight.delete(settled);
    });
    inFlight.add(settled);
    maxInFlight = Math.max(maxInFlight, inFlight.size);
  };
  for (let index = 0; index < total; ) {
    const elapsed = performance.now() - begin;
    // Every call whose time has come starts now; the timer then sleeps until the next one is due.
    for (; index < total && index * intervalMs <= elapsed; index++) issue(index);
    if (index < total) await sleep(Math.max(0, begin + index * intervalMs - performance.now()));
  }
  await Promise.all(inFlight);
  const seconds = (performance.now() - begin) / 1000;
  return {
    calls: latencies.length,
    failures,
    seconds,
    latenciesMs: Float64Array.from(latencies).sort(),
    failureMessages,
    startLagMs: Float64Array.from(startLags).sort(),
    maxInFlight,
  };
}

export function percentile(sorted: Float64Array | readonly number[], quantile: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * quantile))] ?? 0;
}

export const perSecond = (count: number, seconds: number) => (seconds > 0 ? count / seconds : 0);

export const formatRate = (rate: number) => `${Math.round(rate).toLocaleString("en-US")}/s`;

export const formatMs = (value: number) => `${value < 10 ? value.toFixed(2) : value.toFixed(1)} ms`;

/** "p50 1.2 ms  p99 4.5 ms  p99.9 9.0 ms" */
export function latencySummary(sorted: Float64Array | readonly number[]): string {
  const at = (quantile: number) => formatMs(percentile(sorted, quantile));
  return `p50 ${at(0.5)}  p99 ${at(0.99)}  p99.9 ${at(0.999)}`;
}

/** The failures of a run, most frequent first, one line each. */
export function failureLines(result: Pick<LoadResult, "failureMessages">, indent = "    "): string[] {
  return [...result.failureMessages]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 5)
    .map(([message, count]) => `${indent}${count} × ${message}`);
}
