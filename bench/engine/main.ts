import { OrderBook } from "nodejs-order-book";
import { type Command, Engine } from "../../services/matching/src/domain/index.js";
import { JournalSink } from "./journal-sink.js";
import { type Latency, latencyAtRate, throughput } from "./measure.js";
import { type PeerOperation, runPeerOperation, toPeerOperations } from "./peer.js";
import { generateWorkload } from "./workload.js";

const COMMANDS = Number(process.env.BENCH_COMMANDS ?? 3_000_000);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 500_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const LATENCY_COMMANDS = Number(process.env.BENCH_LATENCY_COMMANDS ?? COMMANDS);
const RATE = Number(process.env.BENCH_RATE ?? 100_000);
const RULES = { minQuantity: 1, minNotional: 0n };

const format = (n: number) => Math.round(n).toLocaleString("en-US");
const percent = (part: number, whole: number) => `${((part / whole) * 100).toFixed(1)}%`;
const micros = (ns: number) => `${(ns / 1000).toFixed(1)} µs`;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

interface Subject {
  readonly name: string;
  /** A fresh book with the setup applied, and a function running command `i` of the measured stream on it. */
  start(): (index: number) => unknown;
}

function ours(setup: readonly Command[], commands: readonly Command[]): Subject & { last: () => Engine } {
  let engine = new Engine(RULES, new JournalSink());
  return {
    name: "bourse engine",
    last: () => engine,
    start() {
      engine = new Engine(RULES, new JournalSink());
      for (const command of setup) engine.execute(command);
      const current = engine;
      return (i) => current.execute(commands[i] as Command);
    },
  };
}

function peer(
  setup: readonly PeerOperation[],
  operations: readonly PeerOperation[],
): Subject & { last: () => OrderBook } {
  let book = new OrderBook();
  return {
    name: "nodejs-order-book",
    last: () => book,
    start() {
      book = new OrderBook();
      for (const operation of setup) runPeerOperation(book, operation);
      const current = book;
      return (i) => runPeerOperation(current, operations[i] as PeerOperation);
    },
  };
}

/** Runs the measured stream RUNS times, each on a fresh book, and returns the rates. */
function measureThroughput(subject: Subject): number[] {
  const rates: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const run = subject.start();
    rates.push(throughput(COMMANDS, run));
  }
  return rates;
}

function printLatency(name: string, latency: Latency): void {
  console.log(
    `${name.padEnd(18)} p50 ${micros(latency.p50)}  p99 ${micros(latency.p99)}  p99.9 ${micros(latency.p999)}  ` +
      `max ${micros(latency.max)}  (${(latency.late * 100).toFixed(2)}% started late)`,
  );
}

console.log(
  `node ${process.version}; ${format(COMMANDS)} commands after ${format(WARMUP)} warm-up commands, ${RUNS} runs each`,
);
const started = Date.now();
const workload = generateWorkload(COMMANDS, 1);
const warmup = generateWorkload(WARMUP, 2);
const { stats } = workload;
console.log(
  `workload: ${percent(stats.places, COMMANDS)} GTC, ${percent(stats.iocs, COMMANDS)} IOC, ` +
    `${percent(stats.cancels, COMMANDS)} cancel, ${percent(stats.amends, COMMANDS)} amend (price move); ` +
    `${percent(stats.tradingShare, 1)} of commands trade; the book averages ${format(stats.averageOrders)} orders ` +
    `over ${format(stats.averageLevels)} price levels, from ${format(1000)} accounts`,
);

const subjects = {
  ours: ours(workload.setup, workload.commands),
  peer: peer(toPeerOperations(workload.setup), toPeerOperations(workload.commands)),
};
for (const subject of [
  ours(warmup.setup, warmup.commands),
  peer(toPeerOperations(warmup.setup), toPeerOperations(warmup.commands)),
]) {
  throughput(WARMUP, subject.start());
}
console.log(`generated and warmed up in ${((Date.now() - started) / 1000).toFixed(0)} s`);

const oursRates = measureThroughput(subjects.ours);
const peerRates = measureThroughput(subjects.peer);
console.log(`\nthroughput, one core, back to back (median of ${RUNS} runs, each on a fresh book)`);
for (const [name, rates] of [
  ["bourse engine", oursRates],
  ["nodejs-order-book", peerRates],
] as const) {
  console.log(
    `${name.padEnd(18)} ${format(median(rates)).padStart(10)} ops/s   (runs: ${rates.map(format).join(", ")})`,
  );
}
console.log(`${"ratio".padEnd(18)} ${(median(oursRates) / median(peerRates)).toFixed(2).padStart(10)}x`);

const engine = subjects.ours.last();
const [peerAsks, peerBids] = subjects.peer.last().depth();
const book = engine.depth(Number.MAX_SAFE_INTEGER);
const levels = (side: typeof book.bids) => JSON.stringify(side.map((level) => [level.price, level.quantity]));
const same = levels(book.bids) === JSON.stringify(peerBids) && levels(book.asks) === JSON.stringify(peerAsks);
console.log(
  `both books end identical (${format(book.bids.length + book.asks.length)} levels, ${format(engine.orderCount)} orders, ` +
    `${format(engine.seq)} events): ${same ? "yes" : "NO"}`,
);

console.log(
  `\nlatency at a fixed ${format(RATE)} ops/s over ${format(LATENCY_COMMANDS)} commands, from scheduled time`,
);
for (const subject of [subjects.ours, subjects.peer]) {
  const run = subject.start();
  printLatency(subject.name, latencyAtRate(LATENCY_COMMANDS, RATE, run));
}
console.log(`\ntotal ${((Date.now() - started) / 1000).toFixed(0)} s`);
