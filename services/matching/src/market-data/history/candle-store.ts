import {
  cond,
  type Item,
  type Key,
  MAX_TRANSACT_ITEMS,
  type Store,
  type TransactItem,
  TransactionCanceledError,
  toBigInt,
} from "@bourse/common/storage";
import { marketFenceItem } from "@bourse/ledger";
import { CANDLE_INTERVALS, type CandleInterval, type CandleState } from "../../domain/candles.js";
import { FenceLostError } from "../../store/settlement-errors.js";

/**
 * Persisted candles: one item per market, interval and open time, plus a watermark item per market saying
 * up to which trade sequence they are written. docs/data-model.md lists the keys.
 */

/** Table partition of one market's candles of one interval, sorted by open time. */
export const candlesPartition = (market: string, interval: CandleInterval): string =>
  `CANDLES#${market}#${interval}`;

/** Open time in epoch milliseconds, zero-padded so that text order is time order. */
const candleSortKey = (openTime: number): string => String(openTime).padStart(15, "0");

/** The market's candle watermark: `lastTradeSeq`, the last trade counted in the persisted candles. */
export const candleWatermarkKey = (market: string): Key => ({ PK: `MARKET#${market}`, SK: "CANDLES" });

/** The assets' scales of the candle's volumes, kept on each item so any replica can format them. */
export interface CandleScales {
  readonly baseScale: number;
  readonly quoteScale: number;
}

export interface StoredCandle extends CandleState, CandleScales {}

function candleToItem(market: string, candle: CandleState, scales: CandleScales): Item {
  return {
    PK: candlesPartition(market, candle.interval),
    SK: candleSortKey(candle.openTime),
    interval: candle.interval,
    openTime: new Date(candle.openTime).toISOString(),
    open: candle.open,
    high: candle.high,
    low: candle.low,
    close: candle.close,
    volume: candle.volume,
    quoteVolume: candle.quoteVolume,
    tradeCount: candle.tradeCount,
    lastSequence: candle.lastSequence,
    baseScale: scales.baseScale,
    quoteScale: scales.quoteScale,
  };
}

function candleFromItem(item: Item): StoredCandle {
  return {
    interval: String(item.interval) as CandleInterval,
    openTime: Number(item.SK),
    open: String(item.open),
    high: String(item.high),
    low: String(item.low),
    close: String(item.close),
    volume: toBigInt(item.volume),
    quoteVolume: toBigInt(item.quoteVolume),
    tradeCount: Number(item.tradeCount),
    lastSequence: Number(item.lastSequence),
    baseScale: Number(item.baseScale),
    quoteScale: Number(item.quoteScale),
  };
}

/** The last trade sequence the persisted candles count; 0 when none were ever written. */
export async function readCandleWatermark(store: Store, market: string): Promise<number> {
  const item = await store.get(candleWatermarkKey(market), { consistent: true });
  return item === undefined ? 0 : Number(item.lastTradeSeq);
}

export interface StoredCandleRange {
  readonly interval: CandleInterval;
  /** Epoch milliseconds: candles opening at or after `from` and before `to`. */
  readonly from?: number;
  readonly to?: number;
  /** The latest `limit` candles of the range are read. */
  readonly limit: number;
}

/** The latest `limit` persisted candles of a range, oldest first. */
export async function readStoredCandles(
  store: Store,
  market: string,
  range: StoredCandleRange,
): Promise<StoredCandle[]> {
  if (range.limit <= 0) return [];
  const low = candleSortKey(Math.max(0, range.from ?? 0));
  const sort =
    range.to === undefined
      ? { gte: low }
      : range.to <= (range.from ?? 0)
        ? undefined
        : { between: [low, candleSortKey(range.to - 1)] as const };
  if (sort === undefined) return [];
  const items: Item[] = [];
  let cursor: string | undefined;
  do {
    const page = await store.query({
      partition: candlesPartition(market, range.interval),
      sort,
      forward: false,
      limit: range.limit - items.length,
      cursor,
    });
    items.push(...page.items);
    cursor = page.cursor;
  } while (cursor !== undefined && items.length < range.limit);
  return items.map(candleFromItem).reverse();
}

export interface CandleFlush {
  /** The candles that changed, each in its latest state. */
  readonly candles: readonly CandleState[];
  /** The last trade they count: the new watermark. */
  readonly lastTradeSeq: number;
  readonly fencingToken: bigint;
  readonly scales: CandleScales;
}

/** Two items of each transaction are the fence check and the watermark (its update, or a check before). */
const CANDLES_PER_TRANSACTION = MAX_TRANSACT_ITEMS - 2;

/**
 * Writes changed candles and then the watermark: one transaction when they fit, else several with the
 * watermark in the last. Every transaction checks the market's fence and that the watermark is still below
 * `lastTradeSeq`, so an owner that lost the market can never regress what the new owner wrote. Candles go
 * out per interval in open-time order, so were a later transaction to fail, each interval's latest stored
 * candle still holds every trade before its own last sequence (the next load catches up from there).
 *
 * Throws `FenceLostError` when another replica owns the market. A watermark already at `lastTradeSeq` or
 * beyond means this owner's earlier attempt committed: nothing more to write.
 */
export async function writeCandles(store: Store, market: string, flush: CandleFlush): Promise<void> {
  const ordered = [...flush.candles].sort(
    (a, b) => intervalRank(a.interval) - intervalRank(b.interval) || a.openTime - b.openTime,
  );
  const chunks: CandleState[][] = [];
  for (let start = 0; start < ordered.length; start += CANDLES_PER_TRANSACTION) {
    chunks.push(ordered.slice(start, start + CANDLES_PER_TRANSACTION));
  }
  if (chunks.length === 0) chunks.push([]);
  const below = cond.or(cond.notExists("lastTradeSeq"), cond.lt("lastTradeSeq", flush.lastTradeSeq));
  for (const [index, chunk] of chunks.entries()) {
    const last = index === chunks.length - 1;
    const watermark: TransactItem = last
      ? {
          kind: "update",
          key: candleWatermarkKey(market),
          update: { set: { lastTradeSeq: flush.lastTradeSeq } },
          condition: below,
        }
      : { kind: "conditionCheck", key: candleWatermarkKey(market), condition: below };
    const items: TransactItem[] = [
      ...chunk.map(
        (candle): TransactItem => ({ kind: "put", item: candleToItem(market, candle, flush.scales) }),
      ),
      watermark,
      marketFenceItem(market, flush.fencingToken),
    ];
    try {
      await store.transactWrite(items);
    } catch (error) {
      if (!(error instanceof TransactionCanceledError)) throw error;
      if (error.reasons[items.length - 1] === "ConditionalCheckFailed") {
        throw new FenceLostError(market, { cause: error });
      }
      if (error.reasons[items.length - 2] === "ConditionalCheckFailed") return;
      throw error;
    }
  }
}

const intervalRank = (interval: CandleInterval): number => CANDLE_INTERVALS.indexOf(interval);
