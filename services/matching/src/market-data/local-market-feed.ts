import type { Logger } from "@bourse/common";
import type { CommandOutcome } from "../domain/outcome.js";
import { BookLevels } from "./book-levels.js";
import type { MarketHistory } from "./history/market-history.js";
import type {
  BookDelta,
  BookSnapshot,
  LevelState,
  MarketFeed,
  MarketFeedEvent,
  PublicTrade,
  TickerState,
} from "./market-feed.js";
import { PendingDelta } from "./pending-delta.js";
import { publicTradesOf } from "./public-trades.js";
import { tickerOf } from "./ticker.js";

/** Trades recorded before the history has loaded; past this, the oldest are left to its catch-up read. */
const MAX_EARLY_TRADES = 10_000;
/** Trades a snapshot event carries. */
const SNAPSHOT_TRADES = 500;

type Levels = { readonly bids: readonly LevelState[]; readonly asks: readonly LevelState[] };

/**
 * The live market data of a market this replica owns: an aggregated copy of the book, kept from the levels
 * of committed outcomes only (never ahead of the table), its history (trades, candles, 24 h figures), and
 * the subscribers it publishes to. Every committed batch becomes one `update` event; a runner (re)start
 * becomes a `snapshot` event.
 *
 * The book sequence starts at the engine's sequence when the runner starts and advances by one per committed
 * outcome that changed the book: a new owner starts above the last sequence its predecessor published.
 */
export class LocalMarketFeed implements MarketFeed {
  private levels: BookLevels;
  private sequence: bigint;
  private asOf: Date;
  private loaded: MarketHistory | undefined;
  private early: PublicTrade[] = [];
  private readonly listeners = new Set<(event: MarketFeedEvent) => void>();
  private readonly closing = new AbortController();

  constructor(
    readonly market: string,
    levels: Levels,
    sequence: bigint,
    now: Date,
    private readonly logger?: Logger,
  ) {
    this.levels = new BookLevels(levels);
    this.sequence = sequence;
    this.asOf = now;
  }

  /** The market's trade history once loaded (candles of the running intervals live there). */
  get history(): MarketHistory | undefined {
    return this.loaded;
  }

  get closed(): AbortSignal {
    return this.closing.signal;
  }

  book(): BookSnapshot {
    const { bids, asks } = this.levels.levels();
    return { market: this.market, sequence: this.sequence, bids, asks, asOf: this.asOf };
  }

  ticker(now: Date): TickerState {
    const top = { bestBid: this.levels.bestBid(), bestAsk: this.levels.bestAsk() };
    return tickerOf(this.market, this.loaded?.dayStats(now), top, now);
  }

  recentTrades(limit: number): PublicTrade[] {
    if (this.loaded !== undefined) return this.loaded.recentTrades(limit);
    return this.early.slice(-limit).reverse();
  }

  subscribe(listener: (event: MarketFeedEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The history has loaded: it takes the trades committed meanwhile (it ignores those it already has). */
  attachHistory(history: MarketHistory): void {
    history.record(this.early);
    this.early = [];
    this.loaded = history;
  }

  /**
   * The market was taken again under another lease: the history loaded under the old one is handed back (to
   * be closed; its writes are fenced out now) and the feed records trades until a new one is attached.
   */
  detachHistory(): MarketHistory | undefined {
    const old = this.loaded;
    this.loaded = undefined;
    return old;
  }

  /** A runner (re)started on `levels`: the book is replaced and subscribers are told with a snapshot. */
  restart(levels: Levels, sequence: bigint, now: Date): void {
    this.levels = new BookLevels(levels);
    this.sequence = sequence;
    this.asOf = now;
    this.publish({
      kind: "snapshot",
      book: this.book(),
      ticker: this.ticker(now),
      recentTrades: this.recentTrades(SNAPSHOT_TRADES),
    });
  }

  /** Applies a batch of committed outcomes and publishes it as one update (one merged delta). */
  committed(outcomes: readonly CommandOutcome[], now: Date): void {
    const merged = new PendingDelta(this.market, this.sequence);
    const trades: PublicTrade[] = [];
    const before = { bestBid: this.levels.bestBid(), bestAsk: this.levels.bestAsk() };
    for (const outcome of outcomes) {
      for (const trade of publicTradesOf(outcome)) trades.push(trade);
      if (outcome.levels.length === 0) continue;
      const sequence = this.sequence + 1n;
      const delta: BookDelta = {
        market: this.market,
        firstSequence: sequence,
        sequence,
        changes: outcome.levels,
        asOf: outcome.at,
      };
      this.levels.apply(outcome.levels);
      this.sequence = sequence;
      this.asOf = outcome.at;
      merged.merge(delta, Number.POSITIVE_INFINITY);
    }
    this.record(trades);
    const delta = merged.take();
    const topChanged = before.bestBid !== this.levels.bestBid() || before.bestAsk !== this.levels.bestAsk();
    if (delta === undefined && trades.length === 0) return;
    this.publish({
      kind: "update",
      ...(delta === undefined ? {} : { delta }),
      trades,
      ...(trades.length > 0 || topChanged ? { ticker: this.ticker(now) } : {}),
    });
  }

  /** The feed is no longer fed: streams on it end, and its history flushes what it still holds. */
  async close(): Promise<void> {
    this.closing.abort();
    this.listeners.clear();
    await this.loaded?.close();
  }

  private record(trades: readonly PublicTrade[]): void {
    if (trades.length === 0) return;
    if (this.loaded !== undefined) {
      this.loaded.record(trades);
      return;
    }
    this.early.push(...trades);
    if (this.early.length > MAX_EARLY_TRADES) this.early.splice(0, this.early.length - MAX_EARLY_TRADES);
  }

  private publish(event: MarketFeedEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (error) {
        this.logger?.error({ err: error, market: this.market }, "market data: a feed subscriber failed");
      }
    }
  }
}
