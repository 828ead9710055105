import type { BookSnapshot, MarketFeed, MarketFeedEvent, PublicTrade, TickerState } from "../market-feed.js";

/** A local feed played by the test: its state is what it was last told. */
export class FakeLocalFeed implements MarketFeed {
  private readonly listeners = new Set<(event: MarketFeedEvent) => void>();
  private readonly closing = new AbortController();
  readonly closed = this.closing.signal;
  current: BookSnapshot;
  trades: PublicTrade[] = [];
  lastTicker: TickerState;

  constructor(
    readonly market: string,
    at: Date,
  ) {
    this.current = { market, sequence: 7n, bids: [], asks: [], asOf: at };
    this.lastTicker = { market, volume24h: "0", quoteVolume24h: "0", asOf: at };
  }

  book(): BookSnapshot {
    return this.current;
  }
  ticker(): TickerState {
    return this.lastTicker;
  }
  recentTrades(limit: number): PublicTrade[] {
    return this.trades.slice(0, limit);
  }
  subscribe(listener: (event: MarketFeedEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  tell(event: MarketFeedEvent): void {
    for (const listener of this.listeners) listener(event);
  }
  get subscriberCount(): number {
    return this.listeners.size;
  }
  close(): void {
    this.closing.abort();
    this.listeners.clear();
  }
}
