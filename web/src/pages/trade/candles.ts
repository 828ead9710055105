import { type Candle, CandleInterval } from "@bourse/proto/bourse/marketdata/v1/candle_pb";
import type { Trade } from "@bourse/proto/bourse/marketdata/v1/trade_pb";
import { timestampMs } from "@bufbuild/protobuf/wkt";
import { compareDecimals } from "../../lib/decimal.ts";

/** The intervals offered, with their length: candles start at multiples of it since the epoch (UTC). */
export const candleIntervals = [
  { interval: CandleInterval.CANDLE_INTERVAL_1M, label: "1m", ms: 60_000 },
  { interval: CandleInterval.CANDLE_INTERVAL_5M, label: "5m", ms: 300_000 },
  { interval: CandleInterval.CANDLE_INTERVAL_15M, label: "15m", ms: 900_000 },
  { interval: CandleInterval.CANDLE_INTERVAL_1H, label: "1h", ms: 3_600_000 },
  { interval: CandleInterval.CANDLE_INTERVAL_4H, label: "4h", ms: 14_400_000 },
  { interval: CandleInterval.CANDLE_INTERVAL_1D, label: "1d", ms: 86_400_000 },
] as const;

export type CandleIntervalChoice = (typeof candleIntervals)[number];

/** One candle as the chart keeps it: prices stay decimal strings until they are drawn. */
export interface ChartCandle {
  readonly openTimeMs: number;
  readonly open: string;
  readonly high: string;
  readonly low: string;
  readonly close: string;
}

export function chartCandleOf(candle: Candle): ChartCandle {
  return {
    openTimeMs: candle.openTime ? timestampMs(candle.openTime) : 0,
    open: candle.open,
    high: candle.high,
    low: candle.low,
    close: candle.close,
  };
}

const max = (a: string, b: string) => (compareDecimals(a, b) >= 0 ? a : b);
const min = (a: string, b: string) => (compareDecimals(a, b) <= 0 ? a : b);

/**
 * Folds live trades (oldest first) into candles (oldest first), as the server builds them: a trade extends
 * the candle of its interval or opens the next one. A trade older than the last candle is already counted
 * in the candles read, so it is skipped.
 */
export function foldTrades(
  candles: readonly ChartCandle[],
  trades: readonly Trade[],
  intervalMs: number,
): ChartCandle[] {
  const folded = [...candles];
  for (const trade of trades) {
    if (!trade.executedAt) continue;
    const executedMs = timestampMs(trade.executedAt);
    const openTimeMs = executedMs - (executedMs % intervalMs);
    const last = folded.at(-1);
    if (last && openTimeMs < last.openTimeMs) continue;
    if (last && openTimeMs === last.openTimeMs) {
      folded[folded.length - 1] = {
        ...last,
        high: max(last.high, trade.price),
        low: min(last.low, trade.price),
        close: trade.price,
      };
    } else {
      folded.push({ openTimeMs, open: trade.price, high: trade.price, low: trade.price, close: trade.price });
    }
  }
  return folded;
}
