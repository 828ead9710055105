import type { MarketTradeRecord } from "@bourse/trading";

/**
 * The market data of one market as the service serves it: the aggregated book, public trades and the ticker,
 * and the events its owner publishes. Decimals are strings, as on the wire.
 */

export type BookSide = "buy" | "sell";

/** One price level; quantity "0" (orderCount 0) in a change removes it. Decimal strings. */
export interface LevelState {
  readonly side: BookSide;
  readonly price: string;
  readonly quantity: string;
  readonly orderCount: number;
}

export interface BookSnapshot {
  readonly market: string;
  readonly sequence: bigint;
  readonly bids: readonly LevelState[];
  readonly asks: readonly LevelState[];
  readonly asOf: Date;
}

/** Changes of the commands firstSequence..sequence (one command when equal), last state per level. */
export interface BookDelta {
  readonly market: string;
  readonly firstSequence: bigint;
  readonly sequence: bigint;
  readonly changes: readonly LevelState[];
  readonly asOf: Date;
}

/** A public trade print: the trade index's record, so a print reads the same live and from the table. */
export type PublicTrade = MarketTradeRecord;

/** Rolling 24 h figures (from 1m candles) + last price + top of book; optional fields absent when unknown. */
export interface TickerState {
  readonly market: string;
  readonly lastPrice?: string;
  readonly bestBid?: string;
  readonly bestAsk?: string;
  readonly open24h?: string;
  readonly high24h?: string;
  readonly low24h?: string;
  readonly volume24h: string;
  readonly quoteVolume24h: string;
  readonly change24hPercent?: string;
  readonly asOf: Date;
}

/** What a market's owner publishes, in order, to its own subscribers and to the bus. */
export type MarketFeedEvent =
  | {
      readonly kind: "snapshot";
      readonly book: BookSnapshot;
      readonly ticker: TickerState;
      /** Newest first, at most 500. */
      readonly recentTrades: readonly PublicTrade[];
    }
  | {
      readonly kind: "update";
      readonly delta?: BookDelta;
      readonly trades: readonly PublicTrade[];
      readonly ticker?: TickerState;
    };

/** One market's live state, owned here (`LocalMarketFeed`) or mirrored from the bus (`RemoteMarketFeed`). */
export interface MarketFeed {
  readonly market: string;
  /** The full book at its current sequence. */
  book(): BookSnapshot;
  ticker(now: Date): TickerState;
  /** Newest first. */
  recentTrades(limit: number): PublicTrade[];
  /**
   * Events after the current state. The listener runs synchronously in the publisher's turn, so it only
   * enqueues. Returns the unsubscribe function.
   */
  subscribe(listener: (event: MarketFeedEvent) => void): () => void;
  /**
   * Aborted once the feed is no longer fed (its market left this replica): streams on it end with
   * `unavailable`, and the client subscribes again. Absent on feeds that never stop.
   */
  readonly closed?: AbortSignal;
}

/**
 * Finds the feed of any market: local when owned, else a mirror. `not_found` for an unknown market;
 * `unavailable` when no state can be had.
 */
export interface MarketFeeds {
  feed(market: string): Promise<MarketFeed>;
}
