import type { Logger } from "@bourse/common";
import type { Store } from "@bourse/common/storage";
import type { MarketBook } from "../domain/market-book.js";
import type { CommittedOutcomes, MarketListener } from "../runtime/market-listener.js";
import { MarketHistory } from "./history/market-history.js";
import { LocalMarketFeed } from "./local-market-feed.js";

/**
 * How long a stopped market's feed waits for its runner to start again (a rebuild after a failed write)
 * before it closes; streams on it keep going through a rebuild and get a fresh snapshot.
 */
const REBUILD_GRACE_MS = 10_000;
/** Wait before trying again to load a market's history. */
const HISTORY_RETRY_MS = 1_000;

export interface MarketDataHubOptions {
  readonly store: Store;
  readonly now: () => Date;
  readonly logger: Logger;
  /** MARKETDATA_CANDLE_FLUSH_MS. */
  readonly candleFlushMs?: number;
}

interface Entry {
  readonly feed: LocalMarketFeed;
  live: boolean;
  /** The lease the market's runner writes under; its history flushes under the same one. */
  fencingToken: bigint;
  closeTimer?: NodeJS.Timeout;
}

/**
 * The market data of the markets this replica owns: told by each runner (a MarketListener) the book it starts
 * on, what it commits and when it stops, it keeps one LocalMarketFeed per owned market with its history.
 */
export class MarketDataHub implements MarketListener {
  private readonly entries = new Map<string, Entry>();
  private stopping = false;

  constructor(private readonly options: MarketDataHubOptions) {}

  /** The feed of a market this replica owns and runs now. */
  local(market: string): LocalMarketFeed | undefined {
    const entry = this.entries.get(market);
    return entry?.live ? entry.feed : undefined;
  }

  started(market: string, book: MarketBook, fencingToken: bigint): void {
    const now = this.options.now();
    const levels = book.levels();
    const sequence = BigInt(book.seq);
    const entry = this.entries.get(market);
    if (entry !== undefined) {
      clearTimeout(entry.closeTimer);
      entry.live = true;
      entry.feed.restart(levels, sequence, now);
      if (entry.fencingToken !== fencingToken) {
        // Taken again under a new lease: trades may have settled under another owner meanwhile, so the
        // history is loaded again from the table, under the new token.
        entry.fencingToken = fencingToken;
        void this.closeHistory(market, entry.feed.detachHistory());
        void this.loadHistory(market, entry, book);
      }
      return;
    }
    const feed = new LocalMarketFeed(market, levels, sequence, now, this.options.logger);
    const created: Entry = { feed, live: true, fencingToken };
    this.entries.set(market, created);
    void this.loadHistory(market, created, book);
  }

  committed(batch: CommittedOutcomes): void {
    const entry = this.entries.get(batch.market);
    if (entry === undefined || batch.outcomes.length === 0) return;
    try {
      entry.feed.committed(batch.outcomes, this.options.now());
    } catch (error) {
      this.options.logger.error({ err: error, market: batch.market }, "market data: publishing failed");
    }
  }

  stopped(market: string): void {
    const entry = this.entries.get(market);
    if (entry === undefined) return;
    entry.live = false;
    entry.closeTimer = setTimeout(() => void this.close(market, entry), REBUILD_GRACE_MS);
    entry.closeTimer.unref();
  }

  /** Closes every feed (streams end) and flushes their histories. */
  async stop(): Promise<void> {
    this.stopping = true;
    await Promise.all([...this.entries].map(([market, entry]) => this.close(market, entry)));
  }

  private async close(market: string, entry: Entry): Promise<void> {
    clearTimeout(entry.closeTimer);
    if (this.entries.get(market) !== entry) return;
    this.entries.delete(market);
    try {
      await entry.feed.close();
    } catch (error) {
      this.options.logger.warn({ err: error, market }, "market data: the last candle flush failed");
    }
  }

  private async closeHistory(market: string, history: MarketHistory | undefined): Promise<void> {
    try {
      await history?.close();
    } catch (error) {
      this.options.logger.warn({ err: error, market }, "market data: the last candle flush failed");
    }
  }

  /** Loads the market's history under the entry's lease, retrying while that lease is the entry's. */
  private async loadHistory(market: string, entry: Entry, book: MarketBook): Promise<void> {
    const { store, now, logger } = this.options;
    const { fencingToken } = entry;
    const current = () =>
      !this.stopping && this.entries.get(market) === entry && entry.fencingToken === fencingToken;
    while (current()) {
      try {
        const history = await MarketHistory.load(store, market, {
          fencingToken,
          now,
          scales: { baseScale: book.market.baseScale, quoteScale: book.market.quoteScale },
          ...(this.options.candleFlushMs === undefined
            ? {}
            : { flushIntervalMs: this.options.candleFlushMs }),
          logger,
        });
        if (!current()) {
          await history.close();
          return;
        }
        entry.feed.attachHistory(history);
        history.start();
        return;
      } catch (error) {
        logger.warn({ err: error, market }, "market data: loading the trade history failed; retrying");
        await new Promise((resolve) => setTimeout(resolve, HISTORY_RETRY_MS).unref());
      }
    }
  }
}
