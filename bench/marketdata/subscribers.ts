/**
 * The subscribers of `npm run bench:marketdata`, in a process of their own so that decoding their streams
 * never slows the order clients: each subscriber has its own connection, as separate clients would.
 * Book subscribers check that every delta starts right after the last sequence they saw and record its lag
 * (receive time − the delta's as_of). Driven by its parent over IPC (see subscriber-process.ts).
 */
import { performance } from "node:perf_hooks";
import { createServiceClient } from "@bourse/common";
import { MarketDataService } from "@bourse/proto/bourse/marketdata/v1/market_data_service_pb";
import { timestampMs } from "@bufbuild/protobuf/wkt";
import { LagHistogram } from "./lag-histogram.js";
import type { SubscriberCommand, SubscriberMessage, SubscriberPlan } from "./subscriber-process.js";

/** Streams stay open longer than any run, whatever default deadline the server gives calls. */
const STREAM_TIMEOUT_MS = 3_600_000;

const lag = new LagHistogram();
const counts = { deltas: 0, sequences: 0, resnapshots: 0, gaps: 0, trades: 0, tickers: 0 };
const failures = new Map<string, number>();
let windowStart = performance.now();
let windowCpu = process.cpuUsage();
const stopping = new AbortController();

const send = (message: SubscriberMessage) => process.send?.(message);
const clientOf = (baseUrl: string) => createServiceClient(MarketDataService, { baseUrl, caller: "bench" });
const options = { signal: stopping.signal, timeoutMs: STREAM_TIMEOUT_MS };
const now = () => performance.timeOrigin + performance.now();

function noteFailure(error: unknown): void {
  if (stopping.signal.aborted) return;
  const message = (error as Error).message.slice(0, 160);
  failures.set(message, (failures.get(message) ?? 0) + 1);
}

async function followBook(baseUrl: string, market: string, opened: () => void): Promise<void> {
  let last: bigint | undefined;
  for await (const { event } of clientOf(baseUrl).streamOrderBook({ market }, options)) {
    if (event.case === "snapshot") {
      if (last === undefined) opened();
      else counts.resnapshots++;
      last = event.value.sequence;
    } else if (event.case === "delta") {
      const delta = event.value;
      if (last === undefined || delta.firstSequence !== last + 1n) counts.gaps++;
      last = delta.sequence;
      counts.deltas++;
      counts.sequences += Number(delta.sequence - delta.firstSequence + 1n);
      if (delta.asOf) lag.record(now() - timestampMs(delta.asOf));
    }
  }
}

async function followTrades(baseUrl: string, market: string): Promise<void> {
  for await (const _ of clientOf(baseUrl).streamTrades({ market }, options)) counts.trades++;
}

async function followTickers(baseUrl: string, market: string, opened: () => void): Promise<void> {
  let first = true;
  for await (const _ of clientOf(baseUrl).streamTickers({ markets: [market] }, options)) {
    if (first) opened();
    else counts.tickers++;
    first = false;
  }
}

function start(plan: SubscriberPlan): void {
  let waiting = plan.books + plan.tickers;
  /** Called once per stream: when it delivered its first message, or failed before it did. */
  const openedOnce = () => {
    let called = false;
    return () => {
      if (called) return;
      called = true;
      waiting--;
      if (waiting === 0) send({ type: "ready" });
    };
  };
  const run = (follow: (opened: () => void) => Promise<void>) => {
    const opened = openedOnce();
    follow(opened).catch((error) => {
      noteFailure(error);
      opened();
    });
  };
  for (let index = 0; index < plan.books; index++)
    run((opened) => followBook(plan.baseUrl, plan.market, opened));
  for (let index = 0; index < plan.tickers; index++) {
    run((opened) => followTickers(plan.baseUrl, plan.market, opened));
  }
  for (let index = 0; index < plan.trades; index++) {
    followTrades(plan.baseUrl, plan.market).catch(noteFailure);
  }
  if (waiting === 0) send({ type: "ready" });
}

function report(): SubscriberMessage {
  const cpu = process.cpuUsage(windowCpu);
  return {
    type: "report",
    seconds: (performance.now() - windowStart) / 1000,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    ...counts,
    lagMs: {
      p50: lag.percentile(0.5),
      p99: lag.percentile(0.99),
      p999: lag.percentile(0.999),
      max: lag.maxMs,
    },
    failures: [...failures],
  };
}

function reset(): void {
  lag.reset();
  for (const key of Object.keys(counts) as Array<keyof typeof counts>) counts[key] = 0;
  windowStart = performance.now();
  windowCpu = process.cpuUsage();
}

process.on("message", (command: SubscriberCommand) => {
  switch (command.type) {
    case "start":
      start(command.plan);
      return;
    case "reset":
      reset();
      send({ type: "reset" });
      return;
    case "report":
      send(report());
      return;
    case "stop":
      stopping.abort();
      process.exit(0);
  }
});
