import type { Logger } from "@bourse/common";
import { formatDecimal, parseDecimal } from "@bourse/common/money";
import type { Store } from "@bourse/common/storage";
import { type MarketTradeRecord, readRecentMarketTrades } from "@bourse/trading";
import {
  CANDLE_INTERVALS,
  type CandleInterval,
  CandleSeries,
  type CandleState,
  type CandleTrade,
  change24hPercent,
  DAY_MS,
  RollingDayStats,
} from "../../domain/candles.js";
import { FenceLostError } from "../../store/settlement-errors.js";
import type { TickerState } from "../market-feed.js";
import {
  type CandleScales,
  readCandleWatermark,
  readStoredCandles,
  type StoredCandle,
  writeCandles,
} from "./candle-store.js";
import { type Candle, type CandleQuery, candleView, queryRange } from "./candle-view.js";

/** Trades kept for ListRecentTrades and the stream snapshots. */
export const RECENT_TRADES = 500;
/** Page size of the catch-up read of the trade index. */
const CATCH_UP_PAGE = 1000;
/** 1m candles in 24 hours, plus the running one. */
const DAY_MINUTES = DAY_MS / 60_000 + 1;

export interface MarketHistoryOptions {
  /** The fencing token this replica claimed the market with: every flush checks it. */
  readonly fencingToken: bigint;
  readonly now: () => Date;
  /** The market's asset scales, to count volumes in exact units. */
  readonly scales: CandleScales;
  /** MARKETDATA_CANDLE_FLUSH_MS: how often `start()` flushes. */
  readonly flushIntervalMs?: number;
  readonly logger?: Logger;
}

/** Rolling 24-hour figures of a market: the ticker's fields that come from its trades. */
export type MarketDayStats = Omit<TickerState, "market" | "bestBid" | "bestAsk" | "asOf">;

const DEFAULT_FLUSH_MS = 1000;

/**
 * The trade history of a market this replica owns: its candles of every interval, the rolling 24 h figures
 * and the latest trades, kept in memory from the trades the owner records, and flushed to the table
 * (candle-store.ts) every MARKETDATA_CANDLE_FLUSH_MS. `load` rebuilds it from the table and catches up
 * with the trades committed after the last flush from the trade index, so nothing is lost on a restart or a
 * takeover.
 */
export class MarketHistory {
  readonly #series = new Map<CandleInterval, CandleSeries>();
  /** Changed since the last flush, by interval and open time. */
  #dirty = new Map<string, CandleState>();
  /** The 1m candles of the last 24 hours (and a little more), oldest first. */
  readonly #minutes: CandleState[];
  readonly #day = new RollingDayStats();
  /** Newest last. */
  readonly #trades: MarketTradeRecord[];
  #lastSequence: number;
  #flushing: Promise<void> = Promise.resolve();
  /** Flushes queued or running; a timer tick adds none while one is, so a slow table never piles them up. */
  #flushesPending = 0;
  #timer: NodeJS.Timeout | undefined;
  #fenceLost = false;

  private constructor(
    private readonly store: Store,
    readonly market: string,
    private readonly options: MarketHistoryOptions,
    state: {
      readonly watermark: number;
      readonly running: ReadonlyMap<CandleInterval, CandleState>;
      readonly minutes: CandleState[];
      readonly trades: MarketTradeRecord[];
    },
  ) {
    for (const interval of CANDLE_INTERVALS) {
      this.#series.set(interval, new CandleSeries(interval, state.running.get(interval)));
    }
    this.#minutes = state.minutes;
    this.#trades = state.trades;
    this.#lastSequence = state.watermark;
  }

  /**
   * Reads the market's history: the watermark, each interval's latest candle, the last 24 h of 1m candles
   * and the latest trades, then records every trade after the watermark from the trade index (all of them for
   * a market whose candles were never written). That index is eventually consistent: a trade committed a
   * moment before may not be listed yet. A new owner loads only after the previous lease ran out, seconds
   * after its last commit, so the index has caught up (the matching README, "Candles and trade history").
   */
  static async load(store: Store, market: string, options: MarketHistoryOptions): Promise<MarketHistory> {
    const now = options.now().getTime();
    const watermark = await readCandleWatermark(store, market);
    const [latest, minutes, recent] = await Promise.all([
      Promise.all(
        CANDLE_INTERVALS.map((interval) => readStoredCandles(store, market, { interval, limit: 1 })),
      ),
      readStoredCandles(store, market, { interval: "1m", from: now - DAY_MS, limit: DAY_MINUTES }),
      readRecentMarketTrades(store, market, { limit: RECENT_TRADES }),
    ]);
    const running = new Map<CandleInterval, CandleState>();
    for (const [index, interval] of CANDLE_INTERVALS.entries()) {
      const candle = latest[index]?.[0];
      if (candle !== undefined) running.set(interval, candle);
    }
    const trades = recent.filter((trade) => trade.sequence <= watermark).reverse();
    const history = new MarketHistory(store, market, options, { watermark, running, minutes, trades });
    history.record(
      await readRecentMarketTrades(store, market, { limit: CATCH_UP_PAGE, afterSequence: watermark }),
    );
    return history;
  }

  /** The last trade sequence recorded. */
  get lastSequence(): number {
    return this.#lastSequence;
  }

  /**
   * Counts committed trades, in sequence order. A trade at or below the last recorded sequence is ignored,
   * so the trades committed while `load` ran may be handed in again.
   */
  record(trades: readonly MarketTradeRecord[]): void {
    for (const trade of trades) {
      if (trade.sequence <= this.#lastSequence) continue;
      const candleTrade = this.#candleTrade(trade);
      for (const [interval, series] of this.#series) {
        const changed = series.apply(candleTrade);
        if (changed === undefined) continue;
        this.#dirty.set(`${interval}#${changed.openTime}`, changed);
        if (interval === "1m") this.#recordMinute(changed);
      }
      this.#trades.push(trade);
      this.#lastSequence = trade.sequence;
    }
    if (this.#trades.length > RECENT_TRADES) this.#trades.splice(0, this.#trades.length - RECENT_TRADES);
  }

  /** The latest trades, newest first. */
  recentTrades(limit: number): MarketTradeRecord[] {
    return this.#trades.slice(-Math.max(0, limit)).reverse();
  }

  /** GetCandles: the persisted candles of the range with the ones not flushed yet, latest `limit`, oldest first. */
  async candles(query: CandleQuery): Promise<Candle[]> {
    const now = this.options.now();
    const range = queryRange(query, now);
    const stored = await readStoredCandles(this.store, this.market, {
      interval: query.interval,
      ...range,
      limit: query.limit,
    });
    const byOpenTime = new Map<number, StoredCandle>(stored.map((candle) => [candle.openTime, candle]));
    const inMemory = [...this.#dirty.values(), this.#series.get(query.interval)?.running];
    for (const candle of inMemory) {
      if (candle === undefined || candle.interval !== query.interval) continue;
      if (candle.openTime < (range.from ?? 0) || candle.openTime >= range.to) continue;
      const known = byOpenTime.get(candle.openTime);
      if (known === undefined || known.lastSequence < candle.lastSequence) {
        byOpenTime.set(candle.openTime, { ...candle, ...this.options.scales });
      }
    }
    return [...byOpenTime.values()]
      .sort((a, b) => a.openTime - b.openTime)
      .slice(-Math.max(0, query.limit))
      .map((candle) => candleView(candle, now));
  }

  /** The rolling 24 h figures at `now`, with the last price and its change over the window. */
  dayStats(now: Date): MarketDayStats {
    const stats = this.#day.at(this.#minutes, now);
    const lastPrice = this.#trades.at(-1)?.price ?? this.#series.get("1m")?.running?.close;
    const { baseScale, quoteScale } = this.options.scales;
    return {
      lastPrice,
      open24h: stats.open,
      high24h: stats.high,
      low24h: stats.low,
      volume24h: formatDecimal(stats.volume, baseScale, { trimZeros: true }),
      quoteVolume24h: formatDecimal(stats.quoteVolume, quoteScale, { trimZeros: true }),
      change24hPercent:
        lastPrice !== undefined && stats.open !== undefined
          ? change24hPercent(lastPrice, stats.open)
          : undefined,
    };
  }

  /** Flushes every MARKETDATA_CANDLE_FLUSH_MS until `close()`. */
  start(): void {
    if (this.#timer !== undefined) return;
    this.#timer = setInterval(() => {
      if (this.#flushesPending > 0) return;
      this.flush().catch((error: unknown) =>
        this.options.logger?.warn(
          { err: error, market: this.market },
          "market data: flushing candles failed",
        ),
      );
    }, this.options.flushIntervalMs ?? DEFAULT_FLUSH_MS);
    this.#timer.unref();
  }

  /**
   * Writes the candles changed since the last flush and the watermark (candle-store.ts), one flush at a
   * time. What fails to be written stays to flush again; once the fence refused (another replica owns the
   * market) nothing more is written, the new owner catching up from the trade index instead.
   */
  flush(): Promise<void> {
    this.#flushesPending++;
    const run = this.#flushing
      .then(() => this.#flushOnce())
      .finally(() => {
        this.#flushesPending--;
      });
    this.#flushing = run.catch(() => undefined);
    return run;
  }

  /** Stops the timer and flushes what remains; a market lost to another replica is not flushed. */
  async close(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    await this.flush();
  }

  async #flushOnce(): Promise<void> {
    if (this.#fenceLost || this.#dirty.size === 0) return;
    const dirty = this.#dirty;
    const lastTradeSeq = this.#lastSequence;
    this.#dirty = new Map();
    try {
      await writeCandles(this.store, this.market, {
        candles: [...dirty.values()],
        lastTradeSeq,
        fencingToken: this.options.fencingToken,
        scales: this.options.scales,
      });
    } catch (error) {
      if (error instanceof FenceLostError) {
        this.#fenceLost = true;
        this.options.logger?.info(
          { market: this.market },
          "market data: another replica owns the market now; its candles are no longer written from here",
        );
        return;
      }
      for (const [key, candle] of dirty) if (!this.#dirty.has(key)) this.#dirty.set(key, candle);
      throw error;
    }
  }

  #candleTrade(trade: MarketTradeRecord): CandleTrade {
    return {
      sequence: trade.sequence,
      price: trade.price,
      volume: parseDecimal(trade.quantity, this.options.scales.baseScale),
      quoteVolume: parseDecimal(trade.quoteAmount, this.options.scales.quoteScale),
      executedAt: trade.executedAt,
    };
  }

  /** Keeps the 1m candles of the last day: replaces the running one, or appends a new one and drops the oldest. */
  #recordMinute(candle: CandleState): void {
    const last = this.#minutes.at(-1);
    if (last !== undefined && last.openTime === candle.openTime)
      this.#minutes[this.#minutes.length - 1] = candle;
    else this.#minutes.push(candle);
    const oldest = candle.openTime - DAY_MS;
    const stale = this.#minutes.findIndex((minute) => minute.openTime > oldest);
    if (stale > 0) this.#minutes.splice(0, stale);
  }
}
