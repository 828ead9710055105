import { describe, expect, it } from "vitest";
import {
  CANDLE_INTERVALS,
  type CandleInterval,
  CandleSeries,
  type CandleState,
  type CandleTrade,
  candleOpenTime,
  change24hPercent,
  dayStats,
} from "./candles.js";

const at = (iso: string) => new Date(iso);
const ms = (iso: string) => Date.parse(iso);

const trade = (
  sequence: number,
  iso: string,
  price: string,
  volume: bigint,
  quoteVolume: bigint,
): CandleTrade => ({
  sequence,
  executedAt: at(iso),
  price,
  volume,
  quoteVolume,
});

// Seven trades across minute, 5m, 15m, hour, 4h and day boundaries (sequences with gaps, as cancels make).
const t1 = trade(1, "2025-01-01T03:59:30.000Z", "100", 2n, 200n);
const t2 = trade(2, "2025-01-01T03:59:59.999Z", "101.5", 1n, 101n);
const t3 = trade(4, "2025-01-01T04:00:00.000Z", "99", 3n, 297n);
const t4 = trade(5, "2025-01-01T04:14:00.000Z", "102", 1n, 102n);
const t5 = trade(7, "2025-01-01T04:15:00.000Z", "98.25", 4n, 393n);
const t6 = trade(9, "2025-01-01T23:59:00.000Z", "100.1", 1n, 100n);
const t7 = trade(10, "2025-01-02T00:00:00.000Z", "100", 5n, 500n);
const TRADES: readonly CandleTrade[] = [t1, t2, t3, t4, t5, t6, t7];

/** Open, high, low, close, volume, quote volume, trade count, last sequence. */
type Figures = [o: string, h: string, l: string, c: string, v: bigint, qv: bigint, n: number, last: number];
type Expected = [openTime: string, ...Figures];

function expected(interval: CandleInterval, rows: readonly Expected[]): CandleState[] {
  return rows.map(([open, o, h, l, c, v, qv, n, last]) => ({
    interval,
    openTime: ms(open),
    open: o,
    high: h,
    low: l,
    close: c,
    volume: v,
    quoteVolume: qv,
    tradeCount: n,
    lastSequence: last,
  }));
}

/** Every candle a series produces, each in its final state, oldest first. */
function candlesOf(series: CandleSeries, trades: readonly CandleTrade[]): CandleState[] {
  const byOpenTime = new Map<number, CandleState>();
  for (const next of trades) {
    const changed = series.apply(next);
    if (changed) byOpenTime.set(changed.openTime, changed);
  }
  return [...byOpenTime.values()];
}

/** The figures of a candle holding one trade. */
const single = (t: CandleTrade): Figures => [
  t.price,
  t.price,
  t.price,
  t.price,
  t.volume,
  t.quoteVolume,
  1,
  t.sequence,
];
const firstTwo: Figures = ["100", "101.5", "100", "101.5", 3n, 301n, 2, 2];

const HAND_COMPUTED: Record<CandleInterval, CandleState[]> = {
  "1m": expected("1m", [
    ["2025-01-01T03:59:00Z", ...firstTwo],
    ["2025-01-01T04:00:00Z", ...single(t3)],
    ["2025-01-01T04:14:00Z", ...single(t4)],
    ["2025-01-01T04:15:00Z", ...single(t5)],
    ["2025-01-01T23:59:00Z", ...single(t6)],
    ["2025-01-02T00:00:00Z", ...single(t7)],
  ]),
  "5m": expected("5m", [
    ["2025-01-01T03:55:00Z", ...firstTwo],
    ["2025-01-01T04:00:00Z", ...single(t3)],
    ["2025-01-01T04:10:00Z", ...single(t4)],
    ["2025-01-01T04:15:00Z", ...single(t5)],
    ["2025-01-01T23:55:00Z", ...single(t6)],
    ["2025-01-02T00:00:00Z", ...single(t7)],
  ]),
  "15m": expected("15m", [
    ["2025-01-01T03:45:00Z", ...firstTwo],
    ["2025-01-01T04:00:00Z", "99", "102", "99", "102", 4n, 399n, 2, 5],
    ["2025-01-01T04:15:00Z", ...single(t5)],
    ["2025-01-01T23:45:00Z", ...single(t6)],
    ["2025-01-02T00:00:00Z", ...single(t7)],
  ]),
  "1h": expected("1h", [
    ["2025-01-01T03:00:00Z", ...firstTwo],
    ["2025-01-01T04:00:00Z", "99", "102", "98.25", "98.25", 8n, 792n, 3, 7],
    ["2025-01-01T23:00:00Z", ...single(t6)],
    ["2025-01-02T00:00:00Z", ...single(t7)],
  ]),
  "4h": expected("4h", [
    ["2025-01-01T00:00:00Z", ...firstTwo],
    ["2025-01-01T04:00:00Z", "99", "102", "98.25", "98.25", 8n, 792n, 3, 7],
    ["2025-01-01T20:00:00Z", ...single(t6)],
    ["2025-01-02T00:00:00Z", ...single(t7)],
  ]),
  "1d": expected("1d", [
    ["2025-01-01T00:00:00Z", "100", "102", "98.25", "100.1", 12n, 1193n, 6, 9],
    ["2025-01-02T00:00:00Z", ...single(t7)],
  ]),
};

describe("candles", () => {
  it.each(CANDLE_INTERVALS)("builds the hand-computed %s candles, empty intervals left out", (interval) => {
    expect(candlesOf(new CandleSeries(interval), TRADES)).toEqual(HAND_COMPUTED[interval]);
  });

  it("opens candles at UTC multiples of their length, the day at midnight UTC", () => {
    const instant = ms("2025-03-04T17:48:59.123Z");
    expect(new Date(candleOpenTime("1m", instant)).toISOString()).toBe("2025-03-04T17:48:00.000Z");
    expect(new Date(candleOpenTime("5m", instant)).toISOString()).toBe("2025-03-04T17:45:00.000Z");
    expect(new Date(candleOpenTime("15m", instant)).toISOString()).toBe("2025-03-04T17:45:00.000Z");
    expect(new Date(candleOpenTime("1h", instant)).toISOString()).toBe("2025-03-04T17:00:00.000Z");
    expect(new Date(candleOpenTime("4h", instant)).toISOString()).toBe("2025-03-04T16:00:00.000Z");
    expect(new Date(candleOpenTime("1d", instant)).toISOString()).toBe("2025-03-04T00:00:00.000Z");
  });

  it("ignores a trade it counted before, and resumes from a persisted running candle", () => {
    const series = new CandleSeries("1h");
    candlesOf(series, TRADES.slice(0, 4));
    const resumed = new CandleSeries("1h", series.running);
    expect(resumed.apply(t2)).toBeUndefined();
    expect(resumed.apply(t4)).toBeUndefined();
    expect(candlesOf(resumed, TRADES).map((candle) => candle.openTime)).toEqual(
      HAND_COMPUTED["1h"].slice(1).map((candle) => candle.openTime),
    );
    expect(resumed.running).toEqual(HAND_COMPUTED["1h"].at(-1));
  });

  it("counts a trade stamped before the running candle (a clock behind) in the running candle", () => {
    const series = new CandleSeries("1m");
    series.apply(t3);
    const late = series.apply(trade(11, "2025-01-01T03:59:00.000Z", "97", 1n, 97n));
    expect(late).toMatchObject({
      openTime: ms("2025-01-01T04:00:00Z"),
      low: "97",
      close: "97",
      tradeCount: 2,
    });
  });

  it("compares prices as decimals, not as text", () => {
    const series = new CandleSeries("1d");
    for (const [sequence, price] of [
      [1, "9.5"],
      [2, "10"],
      [3, "10.25"],
      [4, "9.75"],
    ] as const) {
      series.apply(trade(sequence, "2025-01-01T00:00:00Z", price, 1n, 1n));
    }
    expect(series.running).toMatchObject({ open: "9.5", high: "10.25", low: "9.5", close: "9.75" });
  });
});

describe("dayStats", () => {
  const minutes = HAND_COMPUTED["1m"];

  it("sums the 1m candles opening after now − 24 h", () => {
    // 03:59 and 04:00 of Jan 1 are out of the window that ends at 04:00:30 on Jan 2; 04:14 onwards is in.
    expect(dayStats(minutes, at("2025-01-02T04:00:30Z"))).toEqual({
      open: "102",
      high: "102",
      low: "98.25",
      volume: 11n,
      quoteVolume: 1095n,
      tradeCount: 4,
    });
    // A candle opening exactly 24 h before now is out: the window starts with 04:00 of Jan 1.
    expect(dayStats(minutes, at("2025-01-02T03:59:00Z"))).toEqual({
      open: "99",
      high: "102",
      low: "98.25",
      volume: 14n,
      quoteVolume: 1392n,
      tradeCount: 5,
    });
  });

  it("has no open, high or low without a trade in the window", () => {
    expect(dayStats(minutes, at("2025-01-03T00:00:00Z"))).toEqual({
      volume: 0n,
      quoteVolume: 0n,
      tradeCount: 0,
    });
  });
});

describe("change24hPercent", () => {
  it.each([
    ["101", "100", "1.00"],
    ["100", "100", "0.00"],
    ["100.125", "100", "0.12"],
    ["100.135", "100", "0.14"],
    ["99.875", "100", "-0.12"],
    ["99.999", "100", "0.00"],
    ["1", "3", "-66.67"],
    ["250.5", "0.5", "50000.00"],
    ["0.00012", "0.0001", "20.00"],
  ])("(%s − %s) ÷ %s × 100 is %s", (last, open, percent) => {
    expect(change24hPercent(last, open)).toBe(percent);
  });
});
