/**
 * `npm run bench:marketdata`: the load of `npm run bench:orders` (N concurrent clients placing and
 * canceling limit orders through OrderService over gRPC) on one market of the exchange started as
 * `npm start` does (embedded store and locks) in its own process, after a warm-up, in windows of one run:
 *
 * - without subscribers, then `--rounds` times: with 200 StreamOrderBook subscribers on that market (and a
 *   few StreamTrades and StreamTickers), each on its own connection, in a process of their own (delivered
 *   updates/s across them, and the lag of the book deltas, receive time − the delta's as_of, at
 *   p50/p99/p99.9), then without them again;
 * - with one StreamOrderBook subscriber that never reads (a raw HTTP/2 client with a tiny window), and the
 *   server's market data metrics and memory around it.
 *
 * Each round's ratio is orders/s with the subscribers ÷ the mean of the windows without them just before and
 * after (so a drift of the machine over the run cancels out); it prints each and their median (target
 * ≥ 0.9), and the never-reading subscriber's against the window before it. The first window with and the
 * first without are CPU-profiled.
 *
 * Flags: --clients=32 (calls in flight, one trader each), --seconds=10 (each window), --subscribers=200,
 * --market=BTC-USD, --rounds=3. Only loopback traffic; it stops by itself.
 */
import { parseArgs } from "node:util";
import { MarketDataService } from "@bourse/proto/bourse/marketdata/v1/market_data_service_pb";
import { openNeverReadingStream } from "../../test/market-data/support/never-reading-stream.js";
import { profileTable, startCpuProfile, summarizeProfile } from "../orders/cpu-profile.js";
import { cpuWindow } from "../orders/cpu-usage.js";
import { startExchange } from "../orders/exchange.js";
import { positiveInteger } from "../orders/flags.js";
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
    rounds: { type: "string", default: "3" },
  },
});

const clients = positiveInteger("clients", flags.clients);
const seconds = positiveInteger("seconds", flags.seconds);
const subscribers = positiveInteger("subscribers", flags.subscribers);
const market = flags.market;
const rounds = positiveInteger("rounds", flags.rounds);
/**
 * Lets the JIT warm up and the book fill before anything is measured: with 3 s, the first window measured
 * ran some 10% below the last, which made the windows after it look slower than they were.
 */
const WARM_UP_SECONDS = Math.min(10, seconds);
/** Beside the book subscribers, this many of each of the other two streams on the market. */
const OTHER_STREAMS = 5;

const deliveredOf = (report: SubscriberReport) =>
  report.deltas + report.resnapshots + report.trades + report.tickers;
const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? 0)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
};

/** What the subscribers received over one window. */
function reportLines(report: SubscriberReport): string[] {
  return [
    `  delivered ${formatRate(perSecond(deliveredOf(report), report.seconds))} updates across subscribers: ` +
      `${formatRate(perSecond(report.deltas, report.seconds))} book deltas (covering ${formatRate(perSecond(report.sequences, report.seconds))} book sequences), ` +
      `${report.resnapshots} re-snapshots, ${report.trades} trade and ${report.tickers} ticker messages; ${report.gaps} gaps`,
    `  book delta lag (receive − as_of): p50 ${formatMs(report.lagMs.p50)}  p99 ${formatMs(report.lagMs.p99)}  p99.9 ${formatMs(report.lagMs.p999)}  max ${formatMs(report.lagMs.max)}`,
    ...report.failures.map(([message, count]) => `    ${count} streams failed: ${message}`),
  ];
}

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

  // Windows without and with the subscribers alternate, so that each round's ratio compares windows
  // measured side by side, and a drift of the machine over the run moves both.
  const baselines = [await window("without subscribers (1)", traders, { profile: true })];
  const withSubscribers: number[] = [];
  const reports: SubscriberReport[] = [];
  for (let round = 1; round <= rounds; round++) {
    const fanOut = await startSubscribers({
      baseUrl: matchingUrl,
      market,
      books: subscribers,
      trades: OTHER_STREAMS,
      tickers: OTHER_STREAMS,
    });
    try {
      await fanOut.reset();
      withSubscribers.push(
        await window(
          `with ${subscribers} StreamOrderBook subscribers (+ ${OTHER_STREAMS} StreamTrades, ${OTHER_STREAMS} StreamTickers), round ${round}`,
          traders,
          { pid: fanOut.pid, profile: round === 1 },
        ),
      );
      const report = await fanOut.report();
      reports.push(report);
      for (const line of reportLines(report)) console.log(line);
    } finally {
      await fanOut.stop();
    }
    baselines.push(await window(`without subscribers (${round + 1})`, traders));
  }

  const metricsBefore = await readMetricSamples(matchingAdmin, "marketdata_");
  const memoryBefore = await readMetricSamples(matchingAdmin, "process_resident_memory_bytes");
  const slow = await openNeverReadingStream(matchingUrl, MarketDataService.method.streamOrderBook, {
    market,
  });
  let withSlowReader: number;
  try {
    withSlowReader = await window("with one StreamOrderBook subscriber that never reads", traders);
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
  const slowBaseline = baselines.at(-1) ?? 0;

  console.log("\n== summary ==");
  console.log(`  orders/s without subscribers: ${baselines.map(formatRate).join(", ")}`);
  const ratios = withSubscribers.map((rate, index) => {
    const around = ((baselines[index] ?? 0) + (baselines[index + 1] ?? 0)) / 2;
    console.log(
      `  round ${index + 1}: ${formatRate(rate)} with ${subscribers} subscribers vs ${formatRate(around)} in the windows around it: ratio ${ratio(rate, around)}`,
    );
    return around > 0 ? rate / around : 0;
  });
  console.log(
    `  ratio with ÷ without, median of ${rounds} rounds: ${median(ratios).toFixed(2)} (target ≥ 0.9)`,
  );
  const delivered = reports.reduce((sum, report) => sum + deliveredOf(report), 0);
  const deliveredSeconds = reports.reduce((sum, report) => sum + report.seconds, 0);
  console.log(
    `  delivered updates/s ${formatRate(perSecond(delivered, deliveredSeconds))}, book delta lag p99 by round: ${reports.map((report) => formatMs(report.lagMs.p99)).join(", ")}`,
  );
  console.log(
    `  matching throughput with one never-reading subscriber ${formatRate(withSlowReader)} vs ${formatRate(slowBaseline)} in the window before: ratio ${ratio(withSlowReader, slowBaseline)}`,
  );
} catch (error) {
  console.error(`the exchange's last output:\n${exchange.process.tail().slice(-4000)}`);
  throw error;
} finally {
  await exchange.stop();
}
