import { createLogger } from "@bourse/common";
import type { Lease } from "@bourse/common/locks";
import { describeWithStores, type LockHarness, memoryLockHarness } from "@bourse/common/testing";
import { claimMarket, createStampFactory } from "@bourse/ledger";
import { marketTradeOf, type TradingMarket } from "@bourse/trading";
import { Registry } from "prom-client";
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { CANDLE_INTERVALS, type CandleInterval } from "../../domain/candles.js";
import type { MarketListener } from "../../runtime/market-listener.js";
import { recoverMarket } from "../../runtime/market-recovery.js";
import { MarketRunner } from "../../runtime/market-runner.js";
import { createMatchingMetrics } from "../../runtime/matching-metrics.js";
import { acceptOrder, newAccountId, seedMarket } from "../../testing/matching-fixtures.js";
import { readCandleWatermark } from "./candle-store.js";
import type { Candle } from "./candle-view.js";
import { readCandles } from "./candle-view.js";
import { MarketHistory } from "./market-history.js";

const LEASE_MS = 400;
const logger = createLogger("market-history-test", { level: "silent" });

/** open time, open, high, low, close, volume, quote volume, trades */
type Row = [string, string, string, string, string, string, string, number];

/**
 * The trades of the test, by hand (quote USD at 2 decimals; prices print at the tick, 0.1):
 * a 03:59:30 100 × 1 (100.00), b 03:59:59 101.5 × 0.5 (50.75), c 04:00:00 99 × 2 (198.00) — flushed;
 * d 04:14:00 102 × 0.3 (30.60) — recorded, never flushed; e 04:15:00 98.3 × 1 (98.30) — committed while no
 * history listened; then a restart, and f on Jan 2 00:00:00 100 × 0.1 (10.00).
 */
const HAND_COMPUTED: Record<CandleInterval, Row[]> = {
  "1m": [
    ["2025-01-01T03:59:00.000Z", "100.0", "101.5", "100.0", "101.5", "1.5", "150.75", 2],
    ["2025-01-01T04:00:00.000Z", "99.0", "99.0", "99.0", "99.0", "2", "198", 1],
    ["2025-01-01T04:14:00.000Z", "102.0", "102.0", "102.0", "102.0", "0.3", "30.6", 1],
    ["2025-01-01T04:15:00.000Z", "98.3", "98.3", "98.3", "98.3", "1", "98.3", 1],
    ["2025-01-02T00:00:00.000Z", "100.0", "100.0", "100.0", "100.0", "0.1", "10", 1],
  ],
  "5m": [
    ["2025-01-01T03:55:00.000Z", "100.0", "101.5", "100.0", "101.5", "1.5", "150.75", 2],
    ["2025-01-01T04:00:00.000Z", "99.0", "99.0", "99.0", "99.0", "2", "198", 1],
    ["2025-01-01T04:10:00.000Z", "102.0", "102.0", "102.0", "102.0", "0.3", "30.6", 1],
    ["2025-01-01T04:15:00.000Z", "98.3", "98.3", "98.3", "98.3", "1", "98.3", 1],
    ["2025-01-02T00:00:00.000Z", "100.0", "100.0", "100.0", "100.0", "0.1", "10", 1],
  ],
  "15m": [
    ["2025-01-01T03:45:00.000Z", "100.0", "101.5", "100.0", "101.5", "1.5", "150.75", 2],
    ["2025-01-01T04:00:00.000Z", "99.0", "102.0", "99.0", "102.0", "2.3", "228.6", 2],
    ["2025-01-01T04:15:00.000Z", "98.3", "98.3", "98.3", "98.3", "1", "98.3", 1],
    ["2025-01-02T00:00:00.000Z", "100.0", "100.0", "100.0", "100.0", "0.1", "10", 1],
  ],
  "1h": [
    ["2025-01-01T03:00:00.000Z", "100.0", "101.5", "100.0", "101.5", "1.5", "150.75", 2],
    ["2025-01-01T04:00:00.000Z", "99.0", "102.0", "98.3", "98.3", "3.3", "326.9", 3],
    ["2025-01-02T00:00:00.000Z", "100.0", "100.0", "100.0", "100.0", "0.1", "10", 1],
  ],
  "4h": [
    ["2025-01-01T00:00:00.000Z", "100.0", "101.5", "100.0", "101.5", "1.5", "150.75", 2],
    ["2025-01-01T04:00:00.000Z", "99.0", "102.0", "98.3", "98.3", "3.3", "326.9", 3],
    ["2025-01-02T00:00:00.000Z", "100.0", "100.0", "100.0", "100.0", "0.1", "10", 1],
  ],
  "1d": [
    ["2025-01-01T00:00:00.000Z", "100.0", "102.0", "98.3", "98.3", "4.8", "477.65", 5],
    ["2025-01-02T00:00:00.000Z", "100.0", "100.0", "100.0", "100.0", "0.1", "10", 1],
  ],
};

const LENGTH_MS: Record<CandleInterval, number> = {
  "1m": 60_000,
  "5m": 300_000,
  "15m": 900_000,
  "1h": 3_600_000,
  "4h": 14_400_000,
  "1d": 86_400_000,
};

/** The hand-computed candles as GetCandles answers them at `now`. */
function expected(interval: CandleInterval, now: Date): Candle[] {
  return HAND_COMPUTED[interval].map(([open, o, h, l, c, volume, quoteVolume, tradeCount]) => {
    const closeTime = new Date(Date.parse(open) + LENGTH_MS[interval]);
    return {
      interval,
      openTime: new Date(open),
      closeTime,
      open: o,
      high: h,
      low: l,
      close: c,
      volume,
      quoteVolume,
      tradeCount,
      closed: closeTime <= now,
    };
  });
}

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

  /** One trade at `at`: a maker rests `quantity` at `price`, a taker of `takerSide` takes all of it. */
  async function trade(
    owner: Owner,
    market: TradingMarket,
    at: string,
    price: string,
    quantity: string,
    takerSide: "buy" | "sell",
  ): Promise<void> {
    clock = new Date(at);
    const makerSide: "buy" | "sell" = takerSide === "buy" ? "sell" : "buy";
    for (const side of [makerSide, takerSide]) {
      const order = await acceptOrder(store(), market, { accountId: newAccountId(), side, price, quantity });
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
    Object.fromEntries(CANDLE_INTERVALS.map((interval) => [interval, expected(interval, at)] as const));

  it("serves the hand-computed candles of every interval after restarts, counting the trades committed after the last flush", async () => {
    const market = await seedMarket(store());
    const first = await takeMarket(market);
    await trade(first, market, "2025-01-01T03:59:30.000Z", "100", "1", "buy");
    await trade(first, market, "2025-01-01T03:59:59.000Z", "101.5", "0.5", "sell");
    await trade(first, market, "2025-01-01T04:00:00.000Z", "99", "2", "buy");
    await first.history.flush();
    await trade(first, market, "2025-01-01T04:14:00.000Z", "102", "0.3", "sell");
    first.deafen();
    await trade(first, market, "2025-01-01T04:15:00.000Z", "98.3", "1", "buy");
    expect(first.history.recentTrades(10).map((print) => print.price)).toEqual([
      "102.0",
      "99.0",
      "101.5",
      "100.0",
    ]);

    // The first owner dies without a final flush; the next one loads the table and catches up from the index.
    await locks.pass(LEASE_MS + 100);
    const second = await takeMarket(market);
    expect(second.lease.fencingToken).toBeGreaterThan(first.lease.fencingToken);
    expect(
      second.history.recentTrades(10).map((print) => [print.price, print.quantity, print.takerSide]),
    ).toEqual([
      ["98.3", "1", "buy"],
      ["102.0", "0.3", "sell"],
      ["99.0", "2", "buy"],
      ["101.5", "0.5", "sell"],
      ["100.0", "1", "buy"],
    ]);
    await trade(second, market, "2025-01-02T00:00:00.000Z", "100", "0.1", "sell");
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
        expected(interval, clock),
      );
    }
    expect(await third.history.candles({ interval: "1m", limit: 2 })).toEqual(
      expected("1m", clock).slice(-2),
    );
    expect(
      await third.history.candles({
        interval: "15m",
        startTime: new Date("2025-01-01T04:00:00.000Z"),
        endTime: new Date("2025-01-01T04:15:00.000Z"),
        limit: 500,
      }),
    ).toEqual(expected("15m", clock).slice(1, 2));
    expect(third.history.dayStats(clock)).toEqual({
      lastPrice: "100.0",
      open24h: "100.0",
      high24h: "102.0",
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
