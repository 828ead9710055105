/**
 * Issue #10, "Must show": a client that rebuilds a book from StreamOrderBook alone (the snapshot, then
 * deltas applied only when each starts right after the last sequence applied, a new subscription after
 * any gap) while several users send 10,000 random orders through OrderService ends with exactly the book
 * GetOrderBook answers once the flow stops, and that book is the one the stored open orders make. The
 * deltas it applied are gapless and cover every book-changing command the users had acknowledged.
 */

import { createServiceClient } from "@bourse/common";
import { MemoryLockService } from "@bourse/common/locks";
import { MemoryStore } from "@bourse/common/storage";
import { MarketDataService } from "@bourse/proto/bourse/marketdata/v1/market_data_service_pb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { storedOpenOrders } from "../order-flow/support/book.js";
import { type OrderFlowExchange, startOrderFlowExchange } from "../order-flow/support/exchange.js";
import { orderFlowProblems } from "../order-flow/support/invariants.js";
import { seededRandom } from "../order-flow/support/random.js";
import { BookFollower } from "./support/book-follower.js";
import { bookView } from "./support/book-replica.js";
import { runRandomOrders } from "./support/random-orders.js";
import { storedBookView } from "./support/stored-book.js";

const market = "BTC-USD";
const ORDERS = 10_000;
const TRADERS = 8;
const RESTING_PER_TRADER = 40;
/** GetOrderBook's largest depth: the flow's price band keeps each side well below it, so this is all of it. */
const FULL_DEPTH = 1000;

describe("StreamOrderBook rebuilds the book during random trading [memory]", () => {
  const seed = Number(process.env.MARKET_DATA_SEED ?? Date.now() % 1_000_000);
  let exchange: OrderFlowExchange;

  beforeAll(async () => {
    exchange = await startOrderFlowExchange(new MemoryStore(), new MemoryLockService(), {
      markets: [market],
    });
  });
  afterAll(() => exchange?.stop());

  it(`ends equal to GetOrderBook after ${ORDERS} random orders (seed ${seed})`, async () => {
    const matchingUrl = exchange.matching?.rpcUrl ?? "";
    const marketData = createServiceClient(MarketDataService, { baseUrl: matchingUrl, caller: "test" });
    const traders = await Promise.all(
      Array.from({ length: TRADERS }, () => exchange.trader({ USD: "100000000", BTC: "1000000" })),
    );
    const follower = new BookFollower(matchingUrl, market);
    const before = (await marketData.getOrderBook({ market, depth: FULL_DEPTH })).book;
    await follower.reached(before?.sequence ?? 0n);

    const flow = await runRandomOrders(traders, seededRandom(seed), {
      market,
      orders: ORDERS,
      restingPerTrader: RESTING_PER_TRADER,
    });
    expect(flow.unexpected).toEqual([]);
    expect(flow.trades).toBeGreaterThan(0);
    expect(flow.canceled).toBeGreaterThan(0);

    const { book } = await marketData.getOrderBook({ market, depth: FULL_DEPTH });
    if (!book) throw new Error("GetOrderBook answered without a book");
    await follower.reached(book.sequence);
    await follower.stop();
    const { counts } = follower;

    expect(book.bids.length).toBeLessThan(FULL_DEPTH);
    expect(book.asks.length).toBeLessThan(FULL_DEPTH);
    expect(book.bids.length + book.asks.length).toBeGreaterThan(0);
    expect(follower.replica.sequence).toBe(book.sequence);
    expect(follower.replica.view()).toEqual(bookView(book));
    expect(bookView(book)).toEqual(storedBookView(await storedOpenOrders(exchange.store, market)));

    // One sequence per acknowledged book-changing command, every one reached through a delta or a snapshot
    // the server chose to send; none through a gap the client had to notice.
    expect(book.sequence - (before?.sequence ?? 0n)).toBe(BigInt(flow.bookChanges));
    expect(counts.gaps).toBe(0);
    expect(counts.sequencesCovered + counts.sequencesSkipped).toBe(
      book.sequence - (counts.initialSequence ?? 0n),
    );
    expect(counts.deltas).toBeGreaterThan(0);
    console.log(
      `seed ${seed}: ${flow.placed} orders, ${flow.trades} trades, ${flow.canceled} cancels; book sequence ` +
        `${counts.initialSequence} -> ${book.sequence}; ${counts.deltas} deltas (${counts.mergedDeltas} merged) ` +
        `covering ${counts.sequencesCovered}, ${counts.snapshots} snapshots skipping ${counts.sequencesSkipped}, ` +
        `${counts.gaps} gaps, ${counts.serverEnds} streams ended by the server; ` +
        `final book ${book.bids.length} bid and ${book.asks.length} ask levels`,
    );
    expect(await orderFlowProblems(exchange.store, exchange.accountIds)).toEqual([]);
  }, 600_000);
});
