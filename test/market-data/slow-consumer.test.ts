/**
 * Issue #10, "Must show": stream readers that never read (raw HTTP/2 clients with a tiny window that never
 * consume a byte) do not grow the server's memory without bound and do not stop matching.
 *
 * Bounded: once their transports are full (orders run until a reader has been sent four times what fills
 * them: the 1 KiB window, then the HTTP/2 stream's 16 KiB write buffer), the server hands them nothing more over a whole stretch of random orders, in
 * which a reading subscriber gets dozens of messages: what they miss is merged into one pending delta each
 * (`marketdata_conflated_total` rises), never queued. The process's growth over that stretch, with and without
 * them, is printed (a heap figure, too noisy on a shared machine to assert on). Matching: every order of every
 * stretch is answered, and a reading subscriber still ends with GetOrderBook's book.
 */
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { createServiceClient, type RunningService } from "@bourse/common";
import { MemoryLockService } from "@bourse/common/locks";
import { MemoryStore } from "@bourse/common/storage";
import { MarketDataService } from "@bourse/proto/bourse/marketdata/v1/market_data_service_pb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type OrderFlowExchange, startOrderFlowExchange } from "../order-flow/support/exchange.js";
import { seededRandom } from "../order-flow/support/random.js";
import { BookFollower } from "./support/book-follower.js";
import { bookView } from "./support/book-replica.js";
import { type NeverReadingStream, openNeverReadingStream } from "./support/never-reading-stream.js";
import { runRandomOrders } from "./support/random-orders.js";

const market = "SOL-USD";
const TRADERS = 6;
/** Orders of each measured stretch; the unmeasured ones before (warm-up, filling bounded state) are shorter. */
const ORDERS_PER_STRETCH = 2000;
const NEVER_READING = 300;
/** Four times what a never-reading stream takes before it blocks: its 1 KiB window and 16 KiB write buffer. */
const FILL_BYTES = 4 * 17 * 1024;

setFlagsFromString("--expose-gc");
const collectGarbage = runInNewContext("gc") as () => void;

/** Heap and off-heap (Buffers) bytes still reachable after full collections. */
function retainedBytes(): number {
  collectGarbage();
  collectGarbage();
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.external;
}

describe("never-reading stream subscribers [memory]", () => {
  const seed = Number(process.env.MARKET_DATA_SEED ?? Date.now() % 1_000_000);
  const random = seededRandom(seed);
  let exchange: OrderFlowExchange;
  const neverReading: NeverReadingStream[] = [];

  beforeAll(async () => {
    exchange = await startOrderFlowExchange(new MemoryStore(), new MemoryLockService(), {
      markets: [market],
    });
  });
  afterAll(async () => {
    for (const stream of neverReading) stream.close();
    await exchange?.stop();
  });

  it(`stay bounded and leave matching whole (seed ${seed})`, async () => {
    const matching = exchange.matching;
    if (!matching) throw new Error("matching runs in this process");
    const marketData = createServiceClient(MarketDataService, { baseUrl: matching.rpcUrl, caller: "test" });
    const traders = await Promise.all(
      Array.from({ length: TRADERS }, () => exchange.trader({ USD: "100000000", SOL: "1000000" })),
    );
    const follower = new BookFollower(matching.rpcUrl, market);

    /** One stretch of random orders, until the reading follower has every change; its growth and bytes. */
    const stretch = async (orders: number) => {
      const before = retainedBytes();
      const rssBefore = process.memoryUsage().rss;
      const bytesBefore = follower.counts.bytes;
      const messagesBefore = follower.counts.snapshots + follower.counts.deltas;
      const flow = await runRandomOrders(traders, random, { market, orders, restingPerTrader: 30 });
      expect(flow.unexpected).toEqual([]);
      expect(flow.placed).toBeGreaterThanOrEqual(orders);
      const { book } = await marketData.getOrderBook({ market, depth: 1000 });
      await follower.reached(book?.sequence ?? 0n);
      const growth = retainedBytes() - before;
      return {
        growth,
        rss: process.memoryUsage().rss - rssBefore,
        streamBytes: follower.counts.bytes - bytesBefore,
        streamMessages: follower.counts.snapshots + follower.counts.deltas - messagesBefore,
      };
    };

    // The first orders of a process grow it once (compiled code, caches): not part of the comparison.
    await stretch(ORDERS_PER_STRETCH / 2);
    const alone = await stretch(ORDERS_PER_STRETCH);
    for (let index = 0; index < NEVER_READING; index++) {
      neverReading.push(
        await openNeverReadingStream(matching.rpcUrl, MarketDataService.method.streamOrderBook, { market }),
      );
    }
    const metricsBefore = await marketDataMetrics(matching.metrics.registry);
    // Their bounded state fills: the HTTP/2 stream's write buffer (64 KiB of messages, ~0.9 MB of heap for
    // small deltas, each write costing far more than its bytes), then one pending change per level.
    // Until a reader has been sent FILL_BYTES since they joined: they were offered the same deltas until
    // their transports filled, so theirs are full by then.
    let filling = await stretch(ORDERS_PER_STRETCH / 2);
    for (let offered = filling.streamBytes; offered < FILL_BYTES; offered += filling.streamBytes) {
      filling = await stretch(ORDERS_PER_STRETCH / 2);
    }
    const metricsFilled = await marketDataMetrics(matching.metrics.registry);
    const withThem = await stretch(ORDERS_PER_STRETCH);
    const metricsAfter = await marketDataMetrics(matching.metrics.registry);

    const toNeverReading = metricsAfter.bookMessages - metricsFilled.bookMessages - withThem.streamMessages;
    console.log(
      `seed ${seed}: over ${ORDERS_PER_STRETCH} orders a reader got ${withThem.streamMessages} messages ` +
        `(${mb(withThem.streamBytes)}), the ${NEVER_READING} never-reading subscribers ${toNeverReading} in all; ` +
        `growth ${mb(alone.growth)} alone, ${mb(filling.growth)} then ${mb(withThem.growth)} with them ` +
        `(RSS ${mb(alone.rss)}, ${mb(filling.rss)}, ${mb(withThem.rss)}); market data metrics ${JSON.stringify(metricsAfter)}`,
    );
    expect(withThem.streamMessages).toBeGreaterThan(10);
    // Fewer than one message each over a stretch in which a reader got more than ten: nothing queues for them.
    expect(toNeverReading).toBeLessThan(NEVER_READING);

    // The server knew them as slow: it conflated their deltas or dropped them, and never queued.
    const acted =
      metricsAfter.conflated - metricsBefore.conflated + (metricsAfter.dropped - metricsBefore.dropped);
    expect(acted).toBeGreaterThan(0);

    const { book } = await marketData.getOrderBook({ market, depth: 1000 });
    if (!book) throw new Error("GetOrderBook answered without a book");
    await follower.reached(book.sequence);
    await follower.stop();
    expect(follower.replica.view()).toEqual(bookView(book));
    expect(follower.counts.gaps).toBe(0);
  }, 600_000);
});

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/** matching's market data metrics (H1): book subscribers now, conflated deltas and dropped subscribers so far. */
async function marketDataMetrics(registry: RunningService["metrics"]["registry"]) {
  const sum = async (name: string, labels: Record<string, string> = {}) => {
    const metric = registry.getSingleMetric(name);
    if (!metric) throw new Error(`matching has no metric ${name}`);
    const { values } = await metric.get();
    return values
      .filter((value) => Object.entries(labels).every(([key, wanted]) => value.labels[key] === wanted))
      .reduce((total, value) => total + value.value, 0);
  };
  return {
    bookSubscribers: await sum("marketdata_subscribers", { stream: "order_book" }),
    bookMessages: await sum("marketdata_messages_sent_total", { stream: "order_book" }),
    conflated: await sum("marketdata_conflated_total"),
    dropped: await sum("marketdata_dropped_subscribers_total"),
  };
}
