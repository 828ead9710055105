/**
 * `npm run bench:gateway`: the load of `npm run bench:orders` (N concurrent clients placing and canceling
 * limit orders through OrderService over gRPC, the same client code) against the exchange started as
 * `npm start` does (embedded store and locks) in its own process, in ONE run, both directly against the
 * orders service and through the gateway's h2c gRPC listener, so that the only difference is the hop:
 *
 * 1. closed loop (each client calls again as soon as it is answered: saturation), in windows alternating
 *    direct and gateway, `--rounds` times each, in the order D G G D D G ... so that a drift of the shared
 *    machine over the run cancels out: orders/s and PlaceOrder p50/p99 of each path, and gateway ÷ direct
 *    orders/s (target ≥ 0.7);
 * 2. open loop at half the saturation rate (calls started on a timer at half the direct PlaceOrder +
 *    CancelOrder calls/s measured in 1, whatever the answers), in windows alternating the same way: the
 *    PlaceOrder p50 of each path and the p50 the gateway adds (target ≤ 1 ms); then the same at half the
 *    gateway path's own saturation rate, for reference: there neither path is overloaded, so the difference
 *    is the hop's latency alone.
 *
 * Between the two, one more gateway window, CPU-profiled and not counted, shows where the cost of the hop
 * goes (self time by package and function).
 *
 * The gateway's rate limits (200 points per address and 100 per user each second by default, a PlaceOrder
 * costing 5) would refuse this load: the bench raises them through the environment and says so.
 *
 * Flags: --clients=32 (calls in flight in the closed loop, one trader each), --seconds=5 (each window),
 * --rounds=2 (windows of each path, per phase), --markets=BTC-USD,ETH-USD, --processes (npm start's default
 * of one process per service and the gateway, instead of --all-in-one: the gateway's hop then runs on its own
 * event loop, and the store, locks and user event log are reached over the launcher's embedded state
 * service). Only loopback traffic; it stops by itself.
 */
import { parseArgs } from "node:util";
import { profileTable, startCpuProfile, summarizeProfile } from "../orders/cpu-profile.js";
import { cpuSecondsOf, cpuWindow, type Watched } from "../orders/cpu-usage.js";
import { startExchange } from "../orders/exchange.js";
import { positiveInteger } from "../orders/flags.js";
import { formatMs, formatRate, latencySummary, percentile, perSecond } from "../orders/load.js";
import { type OrderLoadResult, prepareTraders, runOrderLoad, runPacedOrderLoad } from "../orders/traders.js";

const { values: flags } = parseArgs({
  options: {
    clients: { type: "string", default: "32" },
    seconds: { type: "string", default: "5" },
    rounds: { type: "string", default: "2" },
    markets: { type: "string", default: "BTC-USD,ETH-USD" },
    processes: { type: "boolean", default: false },
  },
});

const clients = positiveInteger("clients", flags.clients);
const seconds = positiveInteger("seconds", flags.seconds);
const rounds = positiveInteger("rounds", flags.rounds);
const markets = flags.markets.split(",").filter(Boolean);
/** `--processes`: npm start's default, one process per service and the gateway, instead of `--all-in-one`. */
const oneProcessPerService = flags.processes;
const exchangeLabel = oneProcessPerService
  ? "exchange (launcher, services and gateway processes)"
  : "exchange (services and gateway)";
/** Each path is warmed up (JIT, connections, the book filling) before anything is measured. */
const WARM_UP_SECONDS = Math.min(5, seconds);
/** High enough that no call of the bench is ever refused; see "Rate limits" in gateway/README.md. */
const RAISED_RATE_LIMITS = {
  GATEWAY_RATE_POINTS_PER_ADDRESS: "1000000000",
  GATEWAY_RATE_POINTS_PER_USER: "1000000000",
};

type Path = "direct" | "gateway";

/** D G, then G D, and so on: each path runs as often first as second, so a linear drift cancels out. */
const windowOrder = (): Path[] =>
  Array.from({ length: rounds }, (_, round): Path[] =>
    round % 2 === 0 ? ["direct", "gateway"] : ["gateway", "direct"],
  ).flat();

/** The windows of one path, summed up. */
interface PathTotals {
  placed: number;
  /** PlaceOrder and CancelOrder calls answered. */
  answered: number;
  seconds: number;
  /** CPU time the exchange process used over the windows. */
  cpuSeconds: number;
  placeLatencies: number[];
}

const emptyTotals = (): PathTotals => ({
  placed: 0,
  answered: 0,
  seconds: 0,
  cpuSeconds: 0,
  placeLatencies: [],
});

const sortedLatencies = (totals: PathTotals) => Float64Array.from(totals.placeLatencies).sort();

/**
 * Runs `window` on each path in turn (windowOrder), printing each window and `detail` of it, and sums the
 * windows of each path, the CPU the exchange process (`pid`) used over them included.
 */
async function alternate<R extends OrderLoadResult>(
  pid: number | undefined,
  window: (path: Path) => Promise<R>,
  detail: (result: R) => string[] = () => [],
): Promise<Record<Path, PathTotals>> {
  const totals = { direct: emptyTotals(), gateway: emptyTotals() };
  for (const [index, path] of windowOrder().entries()) {
    const exchangeProcess: Watched = { name: exchangeLabel, pid, withDescendants: oneProcessPerService };
    const cpu = cpuWindow([exchangeProcess]);
    const cpuBefore = cpuSecondsOf(exchangeProcess) ?? Number.NaN;
    const result = await window(path);
    const cpuAfter = cpuSecondsOf(exchangeProcess) ?? Number.NaN;
    const { load } = result;
    console.log(
      `  ${`${index + 1}. ${path}`.padEnd(12)} ${formatRate(perSecond(result.placed, load.seconds)).padStart(9)} orders   PlaceOrder ${latencySummary(result.placeLatenciesMs)}   ${load.failures} failed`,
    );
    for (const line of [...result.failures, cpu(), ...detail(result)]) console.log(`  ${line.trim()}`);
    const sum = totals[path];
    sum.placed += result.placed;
    sum.answered += result.placeLatenciesMs.length + result.cancelLatenciesMs.length;
    sum.seconds += load.seconds;
    sum.cpuSeconds += cpuAfter - cpuBefore;
    sum.placeLatencies.push(...result.placeLatenciesMs);
  }
  for (const path of ["direct", "gateway"] as const) {
    const sum = totals[path];
    const cpuPerCall = (sum.cpuSeconds * 1000) / sum.answered;
    console.log(
      `  ${path.padEnd(12)} ${formatRate(perSecond(sum.placed, sum.seconds)).padStart(9)} orders   PlaceOrder ${latencySummary(sortedLatencies(sum))}   exchange CPU ${Number.isFinite(cpuPerCall) ? formatMs(cpuPerCall) : "?"} per call`,
    );
  }
  return totals;
}

console.log(
  `bench:gateway on node ${process.version}; ${clients} clients, ${seconds} s windows (after ${WARM_UP_SECONDS} s warm-up per path), ${rounds} windows per path per phase, markets ${markets.join(", ")}`,
);
console.log(
  `gateway rate limits raised for the bench through the environment: ${Object.entries(RAISED_RATE_LIMITS)
    .map(([name, value]) => `${name}=${value}`)
    .join(" ")} (defaults 200 and 100 points per 1 s window, PlaceOrder and CancelOrder costing 5)`,
);

const exchange = await startExchange(
  {
    STORE: "memory",
    LOCKS: "memory",
    BOURSE_ALL_IN_ONE: oneProcessPerService ? "false" : "true",
    ...RAISED_RATE_LIMITS,
  },
  markets,
);
try {
  const orderUrls: Record<Path, { orders: string }> = {
    direct: { orders: exchange.url("orders") },
    gateway: { orders: exchange.gateway.grpc },
  };
  console.log(
    `npm start (embedded store and locks, ${oneProcessPerService ? "one process per service and the gateway" : "--all-in-one"}): orders ${orderUrls.direct.orders}, gateway gRPC ${orderUrls.gateway.orders}`,
  );
  const traders = await prepareTraders({ users: exchange.url("users") }, clients, markets);
  const pid = exchange.process.child.pid;
  for (const path of ["direct", "gateway"] as const) {
    await runOrderLoad(orderUrls[path], traders, { seconds: WARM_UP_SECONDS });
  }

  console.log(`\n== saturation: closed loop, ${clients} calls in flight ==`);
  const saturated = await alternate(pid, (path) => runOrderLoad(orderUrls[path], traders, { seconds }));
  const ordersPerSecond = (path: Path) => perSecond(saturated[path].placed, saturated[path].seconds);
  const throughputRatio = ordersPerSecond("gateway") / ordersPerSecond("direct");
  console.log(`  ratio gateway ÷ direct orders/s = ${throughputRatio.toFixed(2)} (target ≥ 0.7)`);

  // Profiling slows the process it samples: the profiled window is an extra one, not counted above. With
  // one process per service, the launcher profiled would show the embedded state service only.
  if (!oneProcessPerService) {
    const profile = await startCpuProfile(exchange.process.inspectorUrl);
    await runOrderLoad(orderUrls.gateway, traders, { seconds });
    console.log(`  one more gateway window, CPU-profiled (not counted above): where the exchange's CPU went`);
    for (const line of profileTable(summarizeProfile(await profile.stop()))) console.log(line);
  }

  // Half the saturation rate of the direct path, in calls (places and cancels, the mix of the load): the
  // target's rate. Then, for reference, half the gateway path's own, where neither path is overloaded.
  const halfRate = (path: Path) => perSecond(saturated[path].answered, saturated[path].seconds) / 2;
  const phases = [
    { path: "direct", target: true },
    { path: "gateway", target: false },
  ] as const;
  for (const { path: rateOf, target } of phases) {
    const callsPerSecond = halfRate(rateOf);
    console.log(
      `\n== half the ${rateOf} saturation rate${target ? "" : " (reference)"}: open loop, ${formatRate(callsPerSecond)} calls started on a timer (half the ${rateOf} PlaceOrder + CancelOrder calls/s; ≈ half its orders/s) ==`,
    );
    const paced = await alternate(
      pid,
      (path) => runPacedOrderLoad(orderUrls[path], traders, { seconds, callsPerSecond }),
      (result) => [
        `pacer: start lag p50 ${formatMs(percentile(result.paced.startLagMs, 0.5))} p99 ${formatMs(percentile(result.paced.startLagMs, 0.99))}, at most ${result.paced.maxInFlight} calls in flight`,
      ],
    );
    const p50 = (path: Path) => percentile(sortedLatencies(paced[path]), 0.5);
    console.log(
      `  added PlaceOrder p50 = ${formatMs(p50("gateway"))} − ${formatMs(p50("direct"))} = ${formatMs(p50("gateway") - p50("direct"))}${target ? " (target ≤ 1 ms)" : ""}`,
    );
  }
} catch (error) {
  console.error(`the exchange's last output:\n${exchange.process.tail().slice(-4000)}`);
  throw error;
} finally {
  await exchange.stop();
}
