/**
 * `npm run bench:orders`: N concurrent clients place and cancel limit orders through OrderService over
 * gRPC (connect-node, no gateway) against the exchange started as `npm start` does, in its own process:
 * embedded (in-memory store, in-process locks) and on DynamoDB Local + redis-server (started here).
 * Each mode prints orders/s, trades/s and PlaceOrder latency next to a ceiling measured in the same run
 * on the same machine (before and after the orders: the ratio uses the better of the two, since others
 * sharing the machine can only slow a window down), and the ratio between them (the targets of issue #9), then where the exchange spent its CPU
 * and which RPCs and store calls an order cost:
 *
 * - embedded: the ceiling is `grpc.health.v1.Health/Check` against a bare connect-node server in its own
 *   process, with the same client at the same concurrency. Target: orders/s ≥ 0.5 × that.
 * - dynamodb: the ceiling is DynamoDB Local's own rate of 2-item TransactWriteItems at the same
 *   concurrency (and sequentially, and its rate of consistent GetItems and of 25-item transactions, for
 *   reference). Target: orders/s ≥ 1.0 × that.
 *
 * Flags: --mode=embedded|dynamodb|both (both), --clients=32 (calls in flight, one trader each),
 * --seconds=10 (each measured window), --markets=BTC-USD,ETH-USD, --no-census (no DynamoDB request
 * count; it adds a loopback proxy hop to every store call). Only loopback traffic; it stops by itself.
 */
import { randomUUID } from "node:crypto";
import { parseArgs } from "node:util";
import { createServiceClient } from "@bourse/common";
import { createDynamoDbClient, ensureTable } from "@bourse/common/storage";
import { startDynamoDbLocal, startRedisServer } from "@bourse/common/testing";
import { Health } from "@bourse/proto/grpc/health/v1/health_pb";
import { profileTable, startCpuProfile, summarizeProfile } from "./cpu-profile.js";
import { cpuWindow, dynamoDbLocalPid, type Watched } from "./cpu-usage.js";
import { type DynamoDbCensus, startDynamoDbCensus } from "./dynamodb-census.js";
import { startExchange } from "./exchange.js";
import { positiveInteger } from "./flags.js";
import { closedLoop, failureLines, formatRate, type LoadResult, latencySummary, perSecond } from "./load.js";
import { startNodeChild } from "./node-child.js";
import { measureRawGets, measureRawTransactions } from "./raw-dynamodb.js";
import { readRpcCounts, rpcCensusLines } from "./rpc-census.js";
import { prepareTraders, runOrderLoad } from "./traders.js";

const { values: flags } = parseArgs({
  options: {
    mode: { type: "string", default: "both" },
    clients: { type: "string", default: "32" },
    seconds: { type: "string", default: "10" },
    markets: { type: "string", default: "BTC-USD,ETH-USD" },
    census: { type: "boolean", default: true },
  },
  allowNegative: true,
});

const mode = flags.mode;
if (!["embedded", "dynamodb", "both"].includes(mode)) {
  throw new Error(`--mode must be embedded, dynamodb or both, not ${mode}`);
}
const clients = positiveInteger("clients", flags.clients);
const seconds = positiveInteger("seconds", flags.seconds);
const markets = flags.markets.split(",").filter(Boolean);
/** Lets the JIT warm up and the book fill before anything is measured. */
const WARM_UP_SECONDS = Math.min(3, seconds);
/** The size of the large transaction measured for reference. */
const BIG_TRANSACTION_ITEMS = 25;
/** DynamoDB Local's raw rate is steady: a shorter window is enough. */
const RAW_SECONDS = Math.min(5, seconds);

const rateOf = (result: LoadResult) => perSecond(result.calls, result.seconds);
const ratio = (value: number, ceiling: number) => (ceiling > 0 ? (value / ceiling).toFixed(2) : "-");

/** Health/Check against the bare server, with the client the orders use; prints the rate and CPU. */
async function measureCeiling(when: string): Promise<LoadResult> {
  const server = await startNodeChild("bench/orders/ceiling-server.ts", process.env);
  try {
    const line = await server.line(/ceiling server listening on /);
    const baseUrl = line.slice(line.indexOf("http://")).trim();
    const health = createServiceClient(Health, { baseUrl, caller: "bench" });
    await closedLoop({ seconds: WARM_UP_SECONDS, concurrency: clients }, () => health.check({}));
    const cpu = cpuWindow([{ name: "ceiling server", pid: server.child.pid }]);
    const result = await closedLoop({ seconds, concurrency: clients }, () => health.check({}));
    printCeiling(`ceiling ${when}: Health/Check, bare connect-node`, result);
    console.log(cpu());
    return result;
  } finally {
    await server.stop();
  }
}

function printCeiling(label: string, result: LoadResult): void {
  console.log(
    `  ${label.padEnd(50)} ${formatRate(rateOf(result)).padStart(9)}   ${latencySummary(result.latenciesMs)}${result.failures ? `   ${result.failures} failed` : ""}`,
  );
  for (const line of failureLines(result)) console.log(line);
}

interface OrderRates {
  readonly orders: number;
  /** PlaceOrder and CancelOrder calls answered per second. */
  readonly calls: number;
}

/** Runs the order load against an exchange started with `env`; prints and returns its rates. */
async function measureOrders(
  env: Record<string, string>,
  others: { census?: DynamoDbCensus; watched?: readonly Watched[] } = {},
): Promise<OrderRates> {
  const { census } = others;
  const exchange = await startExchange(env, markets);
  try {
    const urls = { users: exchange.url("users"), orders: exchange.url("orders") };
    const traders = await prepareTraders(urls, clients, markets);
    await runOrderLoad(urls, traders, { seconds: WARM_UP_SECONDS });
    const rpcBefore = await readRpcCounts(exchange.services);
    census?.reset();
    exchange.process.takeProblems();
    const profile = await startCpuProfile(exchange.process.inspectorUrl);
    const cpu = cpuWindow([{ name: "exchange", pid: exchange.process.child.pid }, ...(others.watched ?? [])]);
    const result = await runOrderLoad(urls, traders, { seconds });
    const cpuLine = cpu();
    const summary = summarizeProfile(await profile.stop());
    const rpcAfter = await readRpcCounts(exchange.services);
    const { load } = result;
    const ordersPerSecond = perSecond(result.placed, load.seconds);
    console.log(
      `  PlaceOrder   ${formatRate(ordersPerSecond).padStart(9)} orders   ${formatRate(perSecond(result.trades, load.seconds)).padStart(9)} trades   ${formatRate(perSecond(result.canceled, load.seconds)).padStart(9)} cancels   ${latencySummary(result.placeLatenciesMs)}`,
    );
    console.log(`  CancelOrder  ${latencySummary(result.cancelLatenciesMs)}`);
    const statuses = [...result.statuses].map(([status, count]) => `${count} ${status}`).join(", ");
    console.log(
      `  ${result.placed} orders placed (${statuses}), ${result.trades} trades, ${result.canceled} canceled, ${load.failures} calls failed`,
    );
    for (const line of result.failures) console.log(line);
    console.log(cpuLine);
    const problems = [...exchange.process.takeProblems()].sort((a, b) => b[1] - a[1]);
    if (problems.length > 0) console.log("  the exchange logged (warn and above) during the window:");
    for (const [message, count] of problems.slice(0, 8)) console.log(`    ${count} × ${message}`);
    const rpcLines = rpcCensusLines(rpcBefore, rpcAfter, result.placed);
    console.log("  RPCs measured by the services' own metrics (in-process hops do not appear):");
    for (const line of rpcLines) console.log(line);
    if (census) {
      console.log("  DynamoDB requests the exchange made (through the counting proxy):");
      for (const line of census.lines(result.placed)) console.log(line);
    }
    for (const line of profileTable(summary)) console.log(line);
    const answered = result.placeLatenciesMs.length + result.cancelLatenciesMs.length;
    return { orders: ordersPerSecond, calls: perSecond(answered, load.seconds) };
  } catch (error) {
    console.error(`the exchange's last output:\n${exchange.process.tail().slice(-4000)}`);
    throw error;
  } finally {
    await exchange.stop();
  }
}

async function embedded(): Promise<void> {
  console.log(
    `\n== embedded (npm start: in-memory store, in-process locks), ${clients} clients, ${seconds} s ==`,
  );
  const before = await measureCeiling("before");
  const orders = await measureOrders({ STORE: "memory", LOCKS: "memory" });
  const after = await measureCeiling("after");
  // Others share this machine and can only slow a window down: the ceiling is the better of the two.
  const ceilingRate = Math.max(rateOf(before), rateOf(after));
  console.log(`  ceiling (the better of before and after) ${formatRate(ceilingRate)}`);
  console.log(
    `  ratio orders/s ÷ Health/Check ceiling = ${ratio(orders.orders, ceilingRate)} (target ≥ 0.5)`,
  );
  console.log(`  (PlaceOrder + CancelOrder calls/s ÷ ceiling = ${ratio(orders.calls, ceilingRate)})`);
}

async function dynamodb(): Promise<void> {
  console.log(
    `\n== DynamoDB Local + redis-server (STORE=dynamodb LOCKS=redis), ${clients} clients, ${seconds} s ==`,
  );
  const [dynamo, redis] = await Promise.all([startDynamoDbLocal(), startRedisServer()]);
  let census: DynamoDbCensus | undefined;
  try {
    const tableName = `bench-${randomUUID()}`;
    const client = createDynamoDbClient({ region: "us-east-1", endpoint: dynamo.endpoint });
    try {
      await ensureTable(client, tableName);
    } finally {
      client.destroy();
    }
    const dynamoDbLocal = { name: "DynamoDB Local", pid: dynamoDbLocalPid(dynamo.port) };
    const raw = async (when: string, concurrency: number) => {
      const cpu = cpuWindow([dynamoDbLocal]);
      const result = await measureRawTransactions(dynamo.endpoint, tableName, {
        seconds: RAW_SECONDS,
        concurrency,
      });
      const label = concurrency === 1 ? "sequential" : `${concurrency} in flight`;
      printCeiling(`raw 2-item TransactWriteItems ${when}, ${label}`, result);
      if (concurrency > 1) console.log(cpu());
      return result;
    };
    // DynamoDB Local is a JVM: its rate roughly doubles once the JIT has compiled its hot paths.
    await measureRawTransactions(dynamo.endpoint, tableName, {
      seconds: WARM_UP_SECONDS,
      concurrency: clients,
    });
    await raw("before", 1);
    const before = await raw("before", clients);
    const getsCpu = cpuWindow([dynamoDbLocal]);
    const gets = await measureRawGets(dynamo.endpoint, tableName, {
      seconds: RAW_SECONDS,
      concurrency: clients,
    });
    printCeiling(`raw consistent GetItem, ${clients} in flight (reference)`, gets);
    console.log(getsCpu());
    // An order writes many items (holds, entries, orders, trades): what DynamoDB Local charges per item.
    const bigCpu = cpuWindow([dynamoDbLocal]);
    const big = await measureRawTransactions(
      dynamo.endpoint,
      tableName,
      { seconds: RAW_SECONDS, concurrency: clients },
      BIG_TRANSACTION_ITEMS,
    );
    printCeiling(
      `raw ${BIG_TRANSACTION_ITEMS}-item TransactWriteItems, ${clients} in flight (reference)`,
      big,
    );
    console.log(bigCpu());
    census = flags.census ? await startDynamoDbCensus(dynamo.endpoint) : undefined;
    const orders = await measureOrders(
      {
        STORE: "dynamodb",
        DYNAMODB_ENDPOINT: census?.endpoint ?? dynamo.endpoint,
        DYNAMODB_TABLE: tableName,
        AWS_REGION: "us-east-1",
        LOCKS: "redis",
        REDIS_URL: redis.url,
      },
      { census, watched: [dynamoDbLocal] },
    );
    const after = await raw("after", clients);
    await raw("after", 1);
    // Others share this machine and can only slow a window down: the ceiling is the better of the two.
    const rawRate = Math.max(rateOf(before), rateOf(after));
    console.log(
      `  raw TransactWriteItems at ${clients} in flight (the better of before and after) ${formatRate(rawRate)}`,
    );
    console.log(
      `  ratio orders/s ÷ raw TransactWriteItems/s at ${clients} in flight = ${ratio(orders.orders, rawRate)} (target ≥ 1.0)`,
    );
  } finally {
    await census?.stop();
    await Promise.all([dynamo.stop(), redis.stop()]);
  }
}

console.log(
  `bench:orders on node ${process.version}; ${clients} clients in flight, ${seconds} s windows (after ${WARM_UP_SECONDS} s warm-up), markets ${markets.join(", ")}`,
);
if (mode !== "dynamodb") await embedded();
if (mode !== "embedded") await dynamodb();
