import { parseDecimal } from "@bourse/common/money";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  CANDLE_INTERVALS,
  type CandleInterval,
  CandleSeries,
  type CandleState,
  type CandleTrade,
  candleOpenTime,
  dayStats,
  RollingDayStats,
} from "./candles.js";

const START = Date.parse("2025-01-01T00:00:00Z");
const PRICES = ["0.5", "9.99", "10", "10.01", "99.875", "100", "1000.5"];

/** Trades in sequence order (gaps allowed), time steps from 0 ms to ~5 h, so that every boundary is crossed. */
const tradeStreams = fc
  .array(
    fc.record({
      gap: fc.integer({ min: 1, max: 3 }),
      step: fc.oneof(
        fc.constant(0),
        fc.integer({ min: 0, max: 90_000 }),
        fc.integer({ min: 0, max: 5 * 3_600_000 }),
      ),
      price: fc.constantFrom(...PRICES),
      volume: fc.bigInt({ min: 1n, max: 10n ** 20n }),
      quoteVolume: fc.bigInt({ min: 1n, max: 10n ** 24n }),
    }),
    { maxLength: 80 },
  )
  .map((steps) => {
    let sequence = 0;
    let time = START;
    return steps.map(({ gap, step, price, volume, quoteVolume }): CandleTrade => {
      sequence += gap;
      time += step;
      return { sequence, executedAt: new Date(time), price, volume, quoteVolume };
    });
  });

/** Every candle of a run, in its final state, by open time. */
function run(series: CandleSeries, trades: readonly CandleTrade[], into = new Map<number, CandleState>()) {
  for (const trade of trades) {
    const changed = series.apply(trade);
    if (changed) into.set(changed.openTime, changed);
  }
  return into;
}

/** The naive reference: group the trades by the candle their time falls in and fold each group. */
function reference(interval: CandleInterval, trades: readonly CandleTrade[]): Map<number, CandleState> {
  const byOpenTime = new Map<number, CandleState>();
  const price = (text: string) => parseDecimal(text, 3);
  for (const trade of trades) {
    const openTime = candleOpenTime(interval, trade.executedAt.getTime());
    const candle = byOpenTime.get(openTime);
    byOpenTime.set(openTime, {
      interval,
      openTime,
      open: candle?.open ?? trade.price,
      high: candle && price(candle.high) >= price(trade.price) ? candle.high : trade.price,
      low: candle && price(candle.low) <= price(trade.price) ? candle.low : trade.price,
      close: trade.price,
      volume: (candle?.volume ?? 0n) + trade.volume,
      quoteVolume: (candle?.quoteVolume ?? 0n) + trade.quoteVolume,
      tradeCount: (candle?.tradeCount ?? 0) + 1,
      lastSequence: trade.sequence,
    });
  }
  return byOpenTime;
}

describe("candle properties", () => {
  it("equal the naive grouping of the trades by interval", () => {
    fc.assert(
      fc.property(tradeStreams, fc.constantFrom(...CANDLE_INTERVALS), (trades, interval) => {
        expect(run(new CandleSeries(interval), trades)).toEqual(reference(interval, trades));
      }),
      { numRuns: 300 },
    );
  });

  it("are the same when a run stops anywhere and catches up from any earlier trade", () => {
    fc.assert(
      fc.property(
        tradeStreams,
        fc.constantFrom(...CANDLE_INTERVALS),
        fc.nat(),
        fc.nat(),
        (trades, interval, cut, replayFrom) => {
          const stop = trades.length === 0 ? 0 : cut % (trades.length + 1);
          const restart = stop === 0 ? 0 : replayFrom % (stop + 1);
          const uncut = run(new CandleSeries(interval), trades);

          const before = new CandleSeries(interval);
          const persisted = run(before, trades.slice(0, stop));
          // A new owner starts from the persisted running candle and replays from an older watermark.
          const after = new CandleSeries(interval, before.running);
          expect(run(after, trades.slice(restart), persisted)).toEqual(uncut);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe("rolling 24 h figures", () => {
  const MINUTE = 60_000;
  const candle = (minute: number, price: string, volume: bigint): CandleState => ({
    interval: "1m",
    openTime: START + minute * MINUTE,
    open: price,
    high: price,
    low: price,
    close: price,
    volume,
    quoteVolume: volume * 10n,
    tradeCount: 1,
    lastSequence: minute,
  });
  /** What a market's history does to its 1m candles between two tickers, and how far the clock moves. */
  const steps = fc.array(
    fc.record({
      change: fc.constantFrom("replace-running", "new-minute", "none"),
      minutes: fc.integer({ min: 0, max: 3 }),
      clock: fc.integer({ min: 0, max: 3 * MINUTE }),
      price: fc.constantFrom(...PRICES),
      volume: fc.bigInt({ min: 1n, max: 10n ** 12n }),
    }),
    { maxLength: 60 },
  );

  it("equal the sum of every candle in the window, call after call", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1_430, max: 1_450 }), steps, (history, moves) => {
        // A full day of candles, then the clock and the candles move as trading goes on.
        const candles = Array.from({ length: history }, (_, minute) => candle(minute, "10", 1n));
        let now = START + history * MINUTE - 1;
        const rolling = new RollingDayStats();
        for (const move of moves) {
          const last = candles.at(-1) as CandleState;
          const minute = (last.openTime - START) / MINUTE;
          if (move.change === "replace-running") {
            candles[candles.length - 1] = { ...candle(minute, move.price, move.volume), tradeCount: 2 };
          } else if (move.change === "new-minute") {
            candles.push(candle(minute + 1 + move.minutes, move.price, move.volume));
          }
          now += move.clock;
          expect(rolling.at(candles, new Date(now))).toEqual(dayStats(candles, new Date(now)));
        }
      }),
      { numRuns: 200 },
    );
  });
});
