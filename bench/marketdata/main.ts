/**
 * `npm run bench:marketdata`: the load of `npm run bench:orders` (N concurrent clients placing and
 * canceling limit orders through OrderService over gRPC) on one market of the exchange started as
 * `npm start` does (embedded store and locks) in its own process, measured in four windows of one run:
 *
 * 1. without subscribers;
 * 2. with 200 StreamOrderBook subscribers on that market (and a few StreamTrades and StreamTickers), each on
 *    its own connection, in a process of their own: delivered updates/s across them, and the lag of the
 *    book deltas (receive time − the delta's as_of) at p50/p99/p99.9;
 * 3. with one StreamOrderBook subscriber that never reads (a raw HTTP/2 client with a tiny window), and
 *    the server's market data metrics and memory around it;
 * 4. without subscribers again.
 *
 * The baseline is the mean of windows 1 and 4 (so a drift of the machine over the run cancels out); it
 * prints orders/s with the subscribers ÷ that (target ≥ 0.9) and the same for the never-reading one.
 *
 * Flags: --clients=32 (calls in flight, one trader each), --seconds=10 (each window), --subscribers=200,
 * --market=BTC-USD. Only loopback traffic; it stops by itself.
 */
import { parseArgs } from "node:util";
import { MarketDataService } from "@bourse/proto/bourse/marketdata/v1/market_data_service_pb";
import { openNeverReadingStream } from "../../test/market-data/support/never-reading-stream.js";
import { profileTable, startCpuProfile, summarizeProfile } from "../orders/cpu-profile.js";
import { cpuWindow } from "../orders/cpu-usage.js";
import { startExchange } from "../orders/exchange.js";
import { formatMs, formatRate, latencySummary, perSecond } from "../orders/load.js";
import { prepareTraders, runOrderLoad, type Trader } from "../orders/traders.js";
import { metricLines, readMetricSamples } from "./server-metrics.js";
import { type SubscriberReport, startSubscribers } from "./subscriber-process.js";

const { values: flags } = parseArgs({
  options: {
    clients: { type: "string", default: "32" },
    seconds: { type: "string", default: "10" },
    subscribers: { type: "string", default: "200" },
    market: { type: "string", default: "BTC-USD" },
  },
});

const positiveInteger = (name: string, text: string) => {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1)
    throw new Error(`--${name} must be a positive integer, not ${text}`);
  return value;
};
const clients = positiveInteger("clients", flags.clients);
const seconds = positiveInteger("seconds", flags.seconds);
const subscribers = positiveInteger("subscribers", flags.subscribers);
const market = flags.market;
/**
 * Lets the JIT warm up and the book fill before anything is measured: with 3 s, the first window measured
 * ran some 10% below the last, which made the windows after it look slower than they were.
 */
const WARM_UP_SECONDS = Math.min(10, seconds);
/** Beside the book subscribers, this many of each of the other two streams on the market. */
const OTHER_STREAMS = 5;

const ratio = (value: number, baseline: number) => (baseline > 0 ? (value / baseline).toFixed(2) : "-");
const megabytes = (bytes: number | undefined) =>
  bytes === undefined ? "?" : `${(bytes / 1024 / 1024).toFixed(1)} MB`;

console.log(
  `bench:marketdata on node ${process.version}; ${clients} clients in flight on ${market}, ${seconds} s windows ` +
    `(after ${WARM_UP_SECONDS} s warm-up), ${subscribers} book subscribers`,
);
const exchange = await startExchange({ STORE: "memory", LOCKS: "memory" }, [market]);
try {
  const urls = { users: exchange.url("users"), orders: exchange.url("orders") };
  const matchingUrl = exchange.url("matching");
  const matchingAdmin = exchange.services.find((service) => service.name === "matching")?.admin ?? "";
  const traders = await prepareTraders(urls, clients, [market]);
  await runOrderLoad(urls, traders, { seconds: WARM_UP_SECONDS });
  const exchangePid = exchange.process.child.pid;

  /** Runs the order load for one window and prints its line; returns orders/s. */
  const window = async (
    label: string,
    traders: readonly Trader[],
    extra: { pid?: number; profile?: boolean } = {},
  ) => {
    const watched = [{ name: "exchange", pid: exchangePid }];
    if (extra.pid !== undefined) watched.push({ name: "subscribers", pid: extra.pid });
    const profile = extra.profile ? await startCpuProfile(exchange.process.inspectorUrl) : undefined;
    const cpu = cpuWindow(watched);
    const result = await runOrderLoad(urls, traders, { seconds });
    const profileLines = profile ? profileTable(summarizeProfile(await profile.stop())) : [];
    const ordersPerSecond = perSecond(result.placed, result.load.seconds);
    console.log(`\n== ${label} ==`);
    console.log(
      `  PlaceOrder ${formatRate(ordersPerSecond).padStart(9)} orders ${formatRate(perSecond(result.trades, result.load.seconds)).padStart(9)} trades   ${latencySummary(result.placeLatenciesMs)}   ${result.load.failures} calls failed`,
    );
    for (const line of result.failures) console.log(line);
    console.log(cpu());
    for (const line of profileLines) console.log(line);
    return ordersPerSecond;
  };

  const without = await window("1. without subscribers", traders, { profile: true });

  const fanOut = await startSubscribers({
    baseUrl: matchingUrl,
    market,
    books: subscribers,
    trades: OTHER_STREAMS,
    tickers: OTHER_STREAMS,
  });
  let report: SubscriberReport;
  let withSubscribers: number;
  try {
    await fanOut.reset();
    withSubscribers = await window(
      `2. with ${subscribers} StreamOrderBook subscribers (+ ${OTHER_STREAMS} StreamTrades, ${OTHER_STREAMS} StreamTickers)`,
      traders,
      { pid: fanOut.pid, profile: true },
    );
    report = await fanOut.report();
  } finally {
    await fanOut.stop();
  }
  const delivered = report.deltas + report.resnapshots + report.trades + report.tickers;
  console.log(
    `  delivered ${formatRate(perSecond(delivered, report.seconds))} updates across subscribers: ` +
      `${formatRate(perSecond(report.deltas, report.seconds))} book deltas (covering ${formatRate(perSecond(report.sequences, report.seconds))} book sequences), ` +
      `${report.resnapshots} re-snapshots, ${report.trades} trade and ${report.tickers} ticker messages; ${report.gaps} gaps`,
  );
  console.log(
    `  book delta lag (receive − as_of): p50 ${formatMs(report.lagMs.p50)}  p99 ${formatMs(report.lagMs.p99)}  p99.9 ${formatMs(report.lagMs.p999)}  max ${formatMs(report.lagMs.max)}`,
  );
  for (const [message, count] of report.failures) console.log(`    ${count} streams failed: ${message}`);

  const metricsBefore = await readMetricSamples(matchingAdmin, "marketdata_");
  const memoryBefore = await readMetricSamples(matchingAdmin, "process_resident_memory_bytes");
  const slow = await openNeverReadingStream(matchingUrl, MarketDataService.method.streamOrderBook, {
    market,
  });
  let withSlowReader: number;
  try {
    withSlowReader = await window("3. with one StreamOrderBook subscriber that never reads", traders);
    const metricsAfter = await readMetricSamples(matchingAdmin, "marketdata_");
    const memoryAfter = await readMetricSamples(matchingAdmin, "process_resident_memory_bytes");
    console.log(
      `  the never-reading subscriber holds ${slow.unreadBytes()} unread bytes; the exchange's RSS went ` +
        `${megabytes(memoryBefore.get("process_resident_memory_bytes"))} -> ${megabytes(memoryAfter.get("process_resident_memory_bytes"))}`,
    );
    console.log("  matching's market data metrics (counters as their change over the window):");
    for (const line of metricLines(metricsBefore, metricsAfter)) console.log(line);
  } finally {
    slow.close();
  }

  const withoutAgain = await window("4. without subscribers (again)", traders);

  const baseline = (without + withoutAgain) / 2;
  console.log("\n== summary ==");
  console.log(
    `  orders/s without subscribers ${formatRate(without)} and ${formatRate(withoutAgain)} (mean ${formatRate(baseline)})`,
  );
  console.log(
    `  orders/s with ${subscribers} subscribers ${formatRate(withSubscribers)}: ratio ${ratio(withSubscribers, baseline)} (target ≥ 0.9)`,
  );
  console.log(
    `  delivered updates/s ${formatRate(perSecond(delivered, report.seconds))}, book delta lag p50 ${formatMs(report.lagMs.p50)} p99 ${formatMs(report.lagMs.p99)}`,
  );
  console.log(
    `  matching throughput with one never-reading subscriber ${formatRate(withSlowReader)} vs ${formatRate(baseline)} without: ratio ${ratio(withSlowReader, baseline)}`,
  );
} catch (error) {
  console.error(`the exchange's last output:\n${exchange.process.tail().slice(-4000)}`);
  throw error;
} finally {
  await exchange.stop();
}
