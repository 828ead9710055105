import { formatDecimal } from "@bourse/common/money";
import type { Store } from "@bourse/common/storage";
import { type CandleInterval, INTERVAL_MS } from "../../domain/candles.js";
import { readStoredCandles, type StoredCandle } from "./candle-store.js";

/** What GetCandles asks: the proto's bounds, `endTime` exclusive and now when absent. */
export interface CandleQuery {
  readonly interval: CandleInterval;
  /** Candles opening at or after this time. */
  readonly startTime?: Date;
  /** Candles opening before this time; absent means now, so the running candle is included. */
  readonly endTime?: Date;
  /** The latest `limit` candles of the range are returned, oldest first. */
  readonly limit: number;
}

/** A candle as GetCandles answers it: decimal strings. Intervals without trades have no candle. */
export interface Candle {
  readonly interval: CandleInterval;
  readonly openTime: Date;
  readonly closeTime: Date;
  readonly open: string;
  readonly high: string;
  readonly low: string;
  readonly close: string;
  readonly volume: string;
  readonly quoteVolume: string;
  readonly tradeCount: number;
  /** False while the interval runs (its figures may still change). */
  readonly closed: boolean;
}

export function candleView(candle: StoredCandle, now: Date): Candle {
  const closeTime = candle.openTime + INTERVAL_MS[candle.interval];
  return {
    interval: candle.interval,
    openTime: new Date(candle.openTime),
    closeTime: new Date(closeTime),
    open: candle.open,
    high: candle.high,
    low: candle.low,
    close: candle.close,
    volume: formatDecimal(candle.volume, candle.baseScale, { trimZeros: true }),
    quoteVolume: formatDecimal(candle.quoteVolume, candle.quoteScale, { trimZeros: true }),
    tradeCount: candle.tradeCount,
    closed: closeTime <= now.getTime(),
  };
}

/** The open-time range of a query in epoch milliseconds (`to` exclusive). */
export function queryRange(query: CandleQuery, now: Date): { readonly from?: number; readonly to: number } {
  return { from: query.startTime?.getTime(), to: (query.endTime ?? now).getTime() };
}

/**
 * Candles of a market this replica does not own, from the table alone: up to one flush interval
 * (MARKETDATA_CANDLE_FLUSH_MS) behind its owner's, whose running candles live in its memory until flushed.
 */
export async function readCandles(
  store: Store,
  market: string,
  query: CandleQuery,
  now: Date = new Date(),
): Promise<Candle[]> {
  const range = queryRange(query, now);
  const stored = await readStoredCandles(store, market, {
    interval: query.interval,
    ...range,
    limit: query.limit,
  });
  return stored.map((candle) => candleView(candle, now));
}
