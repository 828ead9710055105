import { type CandleInterval, INTERVAL_MS } from "../../../domain/candles.js";
import type { Candle } from "../candle-view.js";

/** open time, open, high, low, close, volume, quote volume, trades */
export type Row = [string, string, string, string, string, string, string, number];

/** One trade of the candle tests: a maker rests the quantity at the price, a taker of `takerSide` takes it. */
export interface HandTrade {
  readonly at: string;
  readonly price: string;
  readonly quantity: string;
  readonly takerSide: "buy" | "sell";
}

/** Six trades across minute, 5m, 15m, hour, 4h and day boundaries, in a market quoted at 2 decimals, tick 0.1. */
export const HAND_TRADES: readonly HandTrade[] = [
  { at: "2025-01-01T03:59:30.000Z", price: "100", quantity: "1", takerSide: "buy" }, // quote 100.00
  { at: "2025-01-01T03:59:59.000Z", price: "101.5", quantity: "0.5", takerSide: "sell" }, // 50.75
  { at: "2025-01-01T04:00:00.000Z", price: "99", quantity: "2", takerSide: "buy" }, // 198.00
  { at: "2025-01-01T04:14:00.000Z", price: "102", quantity: "0.3", takerSide: "sell" }, // 30.60
  { at: "2025-01-01T04:15:00.000Z", price: "98.3", quantity: "1", takerSide: "buy" }, // 98.30
  { at: "2025-01-02T00:00:00.000Z", price: "100", quantity: "0.1", takerSide: "sell" }, // 10.00
];

/** The candles of HAND_TRADES, computed by hand; prices print at the tick ("100"). */
export const HAND_COMPUTED: Record<CandleInterval, Row[]> = {
  "1m": [
    ["2025-01-01T03:59:00.000Z", "100", "101.5", "100", "101.5", "1.5", "150.75", 2],
    ["2025-01-01T04:00:00.000Z", "99", "99", "99", "99", "2", "198", 1],
    ["2025-01-01T04:14:00.000Z", "102", "102", "102", "102", "0.3", "30.6", 1],
    ["2025-01-01T04:15:00.000Z", "98.3", "98.3", "98.3", "98.3", "1", "98.3", 1],
    ["2025-01-02T00:00:00.000Z", "100", "100", "100", "100", "0.1", "10", 1],
  ],
  "5m": [
    ["2025-01-01T03:55:00.000Z", "100", "101.5", "100", "101.5", "1.5", "150.75", 2],
    ["2025-01-01T04:00:00.000Z", "99", "99", "99", "99", "2", "198", 1],
    ["2025-01-01T04:10:00.000Z", "102", "102", "102", "102", "0.3", "30.6", 1],
    ["2025-01-01T04:15:00.000Z", "98.3", "98.3", "98.3", "98.3", "1", "98.3", 1],
    ["2025-01-02T00:00:00.000Z", "100", "100", "100", "100", "0.1", "10", 1],
  ],
  "15m": [
    ["2025-01-01T03:45:00.000Z", "100", "101.5", "100", "101.5", "1.5", "150.75", 2],
    ["2025-01-01T04:00:00.000Z", "99", "102", "99", "102", "2.3", "228.6", 2],
    ["2025-01-01T04:15:00.000Z", "98.3", "98.3", "98.3", "98.3", "1", "98.3", 1],
    ["2025-01-02T00:00:00.000Z", "100", "100", "100", "100", "0.1", "10", 1],
  ],
  "1h": [
    ["2025-01-01T03:00:00.000Z", "100", "101.5", "100", "101.5", "1.5", "150.75", 2],
    ["2025-01-01T04:00:00.000Z", "99", "102", "98.3", "98.3", "3.3", "326.9", 3],
    ["2025-01-02T00:00:00.000Z", "100", "100", "100", "100", "0.1", "10", 1],
  ],
  "4h": [
    ["2025-01-01T00:00:00.000Z", "100", "101.5", "100", "101.5", "1.5", "150.75", 2],
    ["2025-01-01T04:00:00.000Z", "99", "102", "98.3", "98.3", "3.3", "326.9", 3],
    ["2025-01-02T00:00:00.000Z", "100", "100", "100", "100", "0.1", "10", 1],
  ],
  "1d": [
    ["2025-01-01T00:00:00.000Z", "100", "102", "98.3", "98.3", "4.8", "477.65", 5],
    ["2025-01-02T00:00:00.000Z", "100", "100", "100", "100", "0.1", "10", 1],
  ],
};

/** The hand-computed candles as GetCandles answers them at `now`. */
export function handComputedCandles(interval: CandleInterval, now: Date): Candle[] {
  return HAND_COMPUTED[interval].map(([open, o, h, l, c, volume, quoteVolume, tradeCount]) => {
    const closeTime = new Date(Date.parse(open) + INTERVAL_MS[interval]);
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
