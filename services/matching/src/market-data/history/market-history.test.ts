import { createLogger } from "@bourse/common";
import type { Lease } from "@bourse/common/locks";
import { describeWithStores, type LockHarness, memoryLockHarness } from "@bourse/common/testing";
import { claimMarket, createStampFactory } from "@bourse/ledger";
import { marketTradeOf, type TradingMarket } from "@bourse/trading";
import { Registry } from "prom-client";
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { CANDLE_INTERVALS } from "../../domain/candles.js";
import type { MarketListener } from "../../runtime/market-listener.js";
import { recoverMarket } from "../../runtime/market-recovery.js";
import { MarketRunner } from "../../runtime/market-runner.js";
import { createMatchingMetrics } from "../../runtime/matching-metrics.js";
import { acceptOrder, newAccountId, seedMarket } from "../../testing/matching-fixtures.js";
import { readCandleWatermark } from "./candle-store.js";
import { readCandles } from "./candle-view.js";
import { MarketHistory } from "./market-history.js";
import { HAND_TRADES, type HandTrade, handComputedCandles } from "./test-support/hand-computed-candles.js";

const hand = (index: number) => HAND_TRADES[index] as HandTrade;

const LEASE_MS = 400;
const logger = createLogger("market-history-test", { level: "silent" });

describeWithStores("market history across restarts", (store) => {
  let locks: LockHarness;
  beforeAll(() => {
    locks = memoryLockHarness();
  });
  afterAll(() => locks.close());

  let clock = new Date("2025-01-01T03:59:30.000Z");
  const now = () => clock;

  interface Owner {
    readonly lease: Lease;
    readonly runner: MarketRunner;
    readonly history: MarketHistory;
    /** Stops handing committed trades to the history, as a process whose feed died would. */
    deafen(): void;
  }

  /** A matching process taking the market, with its history fed by the runner's committed outcomes. */
  async function takeMarket(market: TradingMarket): Promise<Owner> {
    const lease = await claimMarket(locks.open(), store(), market.symbol, { ttlMs: LEASE_MS });
    const history = await MarketHistory.load(store(), market.symbol, {
      fencingToken: lease.fencingToken,
      now,
      scales: market,
      logger,
    });
    let listening = true;
    const listener: MarketListener = {
      started: () => {},
      committed: (batch) => {
        if (!listening) return;
        history.record(
          batch.outcomes.flatMap((outcome) =>
            outcome.steps.map((step) => marketTradeOf(step.accountTrades[0])),
          ),
        );
      },
      stopped: () => {},
    };
    const { book, pending } = await recoverMarket(store(), market.symbol);
    const runner = new MarketRunner({
      market: market.symbol,
      book,
      store: store(),
      fencingToken: lease.fencingToken,
      stamp: createStampFactory(),
      now,
      metrics: createMatchingMetrics(new Registry()),
      logger,
      maxBatchCommands: 256,
      maxQueue: 1000,
      listeners: [listener],
      onFailure: () => {},
    });
    runner.resubmit(pending, true);
    return { lease, runner, history, deafen: () => (listening = false) };
  }

  /** One trade at its time: a maker rests the quantity at the price, a taker takes all of it. */
  async function trade(owner: Owner, market: TradingMarket, hand: HandTrade): Promise<void> {
    clock = new Date(hand.at);
    const makerSide = hand.takerSide === "buy" ? "sell" : "buy";
    for (const side of [makerSide, hand.takerSide] as const) {
      const order = await acceptOrder(store(), market, {
        accountId: newAccountId(),
        side,
        price: hand.price,
        quantity: hand.quantity,
      });
      await owner.runner.run({ kind: "submit", orderId: order.orderId, stored: order });
    }
  }

  const allCandles = async (history: MarketHistory) =>
    Object.fromEntries(
      await Promise.all(
        CANDLE_INTERVALS.map(
          async (interval) => [interval, await history.candles({ interval, limit: 500 })] as const,
        ),
      ),
    );
  const expectedCandles = (at: Date) =>
    Object.fromEntries(
      CANDLE_INTERVALS.map((interval) => [interval, handComputedCandles(interval, at)] as const),
    );

  it("serves the hand-computed candles of every interval after restarts, counting the trades committed after the last flush", async () => {
    const market = await seedMarket(store());
    // Trades 0 to 2 flushed, 3 recorded but never flushed, 4 committed while no history listened.
    const first = await takeMarket(market);
    await trade(first, market, hand(0));
    await trade(first, market, hand(1));
    await trade(first, market, hand(2));
    await first.history.flush();
    await trade(first, market, hand(3));
    first.deafen();
    await trade(first, market, hand(4));
    expect(first.history.recentTrades(10).map((print) => print.price)).toEqual(["102", "99", "101.5", "100"]);

    // The first owner dies without a final flush; the next one loads the table and catches up from the index.
    await locks.pass(LEASE_MS + 100);
    const second = await takeMarket(market);
    expect(second.lease.fencingToken).toBeGreaterThan(first.lease.fencingToken);
    expect(
      second.history.recentTrades(10).map((print) => [print.price, print.quantity, print.takerSide]),
    ).toEqual([
      ["98.3", "1", "buy"],
      ["102", "0.3", "sell"],
      ["99", "2", "buy"],
      ["101.5", "0.5", "sell"],
      ["100", "1", "buy"],
    ]);
    await trade(second, market, hand(5));
    clock = new Date("2025-01-02T00:00:30.000Z");
    expect(await allCandles(second.history)).toEqual(expectedCandles(clock));

    // The first owner's late flush cannot overwrite what the second one owns now.
    await first.history.close();
    await second.history.close();
    await second.lease.release();

    // A third owner, and a replica that does not own the market, read the same candles from the table.
    const third = await takeMarket(market);
    expect(await allCandles(third.history)).toEqual(expectedCandles(clock));
    for (const interval of CANDLE_INTERVALS) {
      expect(await readCandles(store(), market.symbol, { interval, limit: 500 }, clock)).toEqual(
        handComputedCandles(interval, clock),
      );
    }
    expect(await third.history.candles({ interval: "1m", limit: 2 })).toEqual(
      handComputedCandles("1m", clock).slice(-2),
    );
    expect(
      await third.history.candles({
        interval: "15m",
        startTime: new Date("2025-01-01T04:00:00.000Z"),
        endTime: new Date("2025-01-01T04:15:00.000Z"),
        limit: 500,
      }),
    ).toEqual(handComputedCandles("15m", clock).slice(1, 2));
    expect(third.history.dayStats(clock)).toEqual({
      lastPrice: "100",
      open24h: "100",
      high24h: "102",
      low24h: "98.3",
      volume24h: "4.9",
      quoteVolume24h: "487.65",
      change24hPercent: "0.00",
    });
    await third.history.close();
    await third.lease.release();
  });

  it("flushes on its timer, keeps the latest 500 trades and counts a trade handed in twice once", async () => {
    const market = `H${Date.now() % 100_000}X-USD`;
    const lease = await claimMarket(locks.open(), store(), market, { ttlMs: LEASE_MS });
    clock = new Date("2025-01-01T10:00:00.000Z");
    const history = await MarketHistory.load(store(), market, {
      fencingToken: lease.fencingToken,
      now,
      scales: { baseScale: 8, quoteScale: 2 },
      flushIntervalMs: 10,
      logger,
    });
    const trades = Array.from({ length: 600 }, (_, index) => ({
      market,
      tradeId: String(index + 1),
      sequence: index + 1,
      price: index % 2 === 0 ? "10.5" : "11",
      quantity: "0.01",
      quoteAmount: "0.11",
      takerSide: "buy" as const,
      executedAt: new Date(clock.getTime() + index * 1000),
    }));
    history.record(trades.slice(0, 400));
    history.record(trades.slice(300));
    expect(history.recentTrades(1000).map((print) => print.sequence)).toEqual(
      trades
        .slice(100)
        .map((print) => print.sequence)
        .reverse(),
    );

    history.start();
    await vi.waitFor(async () => expect(await readCandleWatermark(store(), market)).toBe(600));
    clock = new Date("2025-01-01T10:10:00.000Z");
    expect(await readCandles(store(), market, { interval: "1h", limit: 10 }, clock)).toEqual([
      expect.objectContaining({
        open: "10.5",
        high: "11",
        low: "10.5",
        close: "11",
        volume: "6",
        quoteVolume: "66",
        tradeCount: 600,
        closed: false,
      }),
    ]);
    expect(history.dayStats(clock)).toMatchObject({
      lastPrice: "11",
      volume24h: "6",
      change24hPercent: "4.76",
    });
    await history.close();
    await lease.release();
  });
});
