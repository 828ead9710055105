import { decimalScale, parseDecimal } from "@bourse/common/money";

/**
 * Candles (OHLCV) built from a market's trades. Pure: the caller hands in trades and times. Amounts are
 * exact: volumes are integer units of the market's assets, prices the trades' decimal strings.
 */
export type CandleInterval = "1m" | "5m" | "15m" | "1h" | "4h" | "1d";

export const CANDLE_INTERVALS: readonly CandleInterval[] = ["1m", "5m", "15m", "1h", "4h", "1d"];

const MINUTE_MS = 60_000;
export const DAY_MS = 24 * 60 * MINUTE_MS;

/** Length of each interval. Candles open at UTC multiples of it since the epoch (so 1d opens at 00:00 UTC). */
export const INTERVAL_MS: Readonly<Record<CandleInterval, number>> = {
  "1m": MINUTE_MS,
  "5m": 5 * MINUTE_MS,
  "15m": 15 * MINUTE_MS,
  "1h": 60 * MINUTE_MS,
  "4h": 240 * MINUTE_MS,
  "1d": DAY_MS,
};

/** Epoch milliseconds at which the candle of `interval` holding the instant `atMs` opens. */
export function candleOpenTime(interval: CandleInterval, atMs: number): number {
  const length = INTERVAL_MS[interval];
  return Math.floor(atMs / length) * length;
}

/** What a candle needs of a trade; volumes in base and quote units. */
export interface CandleTrade {
  readonly sequence: number;
  readonly price: string;
  readonly volume: bigint;
  readonly quoteVolume: bigint;
  readonly executedAt: Date;
}

/** One interval's figures so far. Immutable: applying a trade gives a new state. */
export interface CandleState {
  readonly interval: CandleInterval;
  /** Epoch milliseconds, inclusive; the candle closes `INTERVAL_MS[interval]` later. */
  readonly openTime: number;
  readonly open: string;
  readonly high: string;
  readonly low: string;
  readonly close: string;
  /** Base units. */
  readonly volume: bigint;
  /** Quote units (the sum of the trades' price × quantity). */
  readonly quoteVolume: bigint;
  readonly tradeCount: number;
  /** Sequence of the last trade counted: a trade at or below it is already in (idempotent catch-up). */
  readonly lastSequence: number;
}

/** Compares two decimal strings exactly: negative, zero or positive as `a` is below, equal to or above `b`. */
export function compareDecimals(a: string, b: string): number {
  const scale = Math.max(decimalScale(a), decimalScale(b));
  const difference = parseDecimal(a, scale) - parseDecimal(b, scale);
  return difference < 0n ? -1 : difference > 0n ? 1 : 0;
}

function firstTrade(interval: CandleInterval, openTime: number, trade: CandleTrade): CandleState {
  return {
    interval,
    openTime,
    open: trade.price,
    high: trade.price,
    low: trade.price,
    close: trade.price,
    volume: trade.volume,
    quoteVolume: trade.quoteVolume,
    tradeCount: 1,
    lastSequence: trade.sequence,
  };
}

function nextTrade(candle: CandleState, trade: CandleTrade): CandleState {
  return {
    ...candle,
    high: compareDecimals(trade.price, candle.high) > 0 ? trade.price : candle.high,
    low: compareDecimals(trade.price, candle.low) < 0 ? trade.price : candle.low,
    close: trade.price,
    volume: candle.volume + trade.volume,
    quoteVolume: candle.quoteVolume + trade.quoteVolume,
    tradeCount: candle.tradeCount + 1,
    lastSequence: trade.sequence,
  };
}

/**
 * The candles of one interval, fed trades in sequence order; it keeps only the running (latest) candle.
 * A trade at or below the running candle's last sequence was counted already and is ignored, so catching up
 * from a persisted running candle over trades it partly holds counts each trade once. A trade stamped
 * before the running candle opened (a clock behind the previous owner's) counts in the running candle, so
 * a closed candle never changes.
 */
export class CandleSeries {
  #running: CandleState | undefined;

  constructor(
    readonly interval: CandleInterval,
    running?: CandleState,
  ) {
    this.#running = running;
  }

  get running(): CandleState | undefined {
    return this.#running;
  }

  /** Counts `trade`; returns the candle it changed, or undefined when it was counted before. */
  apply(trade: CandleTrade): CandleState | undefined {
    const running = this.#running;
    if (running !== undefined && trade.sequence <= running.lastSequence) return undefined;
    const openTime = candleOpenTime(this.interval, trade.executedAt.getTime());
    const next =
      running !== undefined && openTime <= running.openTime
        ? nextTrade(running, trade)
        : firstTrade(this.interval, openTime, trade);
    this.#running = next;
    return next;
  }
}

/** Rolling 24-hour figures; open, high and low are absent without a trade in the window. */
export interface DayStats {
  readonly open?: string;
  readonly high?: string;
  readonly low?: string;
  readonly volume: bigint;
  readonly quoteVolume: bigint;
  readonly tradeCount: number;
}

/**
 * The last 24 hours by the minute: the 1m candles (oldest first) opening after `now` − 24 h and not after
 * `now`. The window thus moves a minute at a time, as 1m candles are the finest figures kept.
 */
export function dayStats(minuteCandles: readonly CandleState[], now: Date): DayStats {
  const end = now.getTime();
  const start = end - DAY_MS;
  let stats: DayStats = { volume: 0n, quoteVolume: 0n, tradeCount: 0 };
  for (const candle of minuteCandles) {
    if (candle.openTime <= start || candle.openTime > end) continue;
    stats = {
      open: stats.open ?? candle.open,
      high:
        stats.high === undefined || compareDecimals(candle.high, stats.high) > 0 ? candle.high : stats.high,
      low: stats.low === undefined || compareDecimals(candle.low, stats.low) < 0 ? candle.low : stats.low,
      volume: stats.volume + candle.volume,
      quoteVolume: stats.quoteVolume + candle.quoteVolume,
      tradeCount: stats.tradeCount + candle.tradeCount,
    };
  }
  return stats;
}

/** The figures of two runs of candles, `earlier` before `later`, as one. */
export function mergeDayStats(earlier: DayStats, later: DayStats): DayStats {
  const pick = (a: string | undefined, b: string | undefined, sign: 1 | -1) =>
    a === undefined || (b !== undefined && compareDecimals(b, a) * sign > 0) ? b : a;
  const open = earlier.open ?? later.open;
  const high = pick(earlier.high, later.high, 1);
  const low = pick(earlier.low, later.low, -1);
  return {
    ...(open === undefined ? {} : { open }),
    ...(high === undefined ? {} : { high }),
    ...(low === undefined ? {} : { low }),
    volume: earlier.volume + later.volume,
    quoteVolume: earlier.quoteVolume + later.quoteVolume,
    tradeCount: earlier.tradeCount + later.tradeCount,
  };
}

/**
 * `dayStats` asked again and again (a ticker per committed batch) without summing the day's 1 440 candles
 * each time: the settled candles (all but the running, last one) never change, and within one minute the
 * window takes the same of them (candles open on whole minutes, so none enters or leaves it before the
 * next), so their sum is kept until the minute or the candles change, and only the running candle is added
 * on each call.
 */
export class RollingDayStats {
  private settled: { minute: number; count: number; stats: DayStats } | undefined;

  at(minuteCandles: readonly CandleState[], now: Date): DayStats {
    const minute = candleOpenTime("1m", now.getTime());
    const count = minuteCandles.length;
    if (this.settled?.minute !== minute || this.settled.count !== count) {
      this.settled = { minute, count, stats: dayStats(minuteCandles.slice(0, -1), now) };
    }
    return mergeDayStats(this.settled.stats, dayStats(minuteCandles.slice(-1), now));
  }
}

/**
 * (last − open) ÷ open × 100, rounded half-even to 2 fraction digits, as a signed decimal string ("-1.25",
 * "0.00"). `open` is a trade price, so never zero.
 */
export function change24hPercent(last: string, open: string): string {
  const scale = Math.max(decimalScale(last), decimalScale(open));
  const openUnits = parseDecimal(open, scale);
  const scaled = (parseDecimal(last, scale) - openUnits) * 10_000n;
  const negative = scaled < 0n;
  const magnitude = negative ? -scaled : scaled;
  let hundredths = magnitude / openUnits;
  const twiceRemainder = (magnitude % openUnits) * 2n;
  if (twiceRemainder > openUnits || (twiceRemainder === openUnits && hundredths % 2n === 1n))
    hundredths += 1n;
  const digits = hundredths.toString().padStart(3, "0");
  const sign = negative && hundredths > 0n ? "-" : "";
  return `${sign}${digits.slice(0, -2)}.${digits.slice(-2)}`;
}
