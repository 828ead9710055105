import type {
  BookDelta,
  BookSnapshot,
  LevelState,
  MarketFeedEvent,
  PublicTrade,
  TickerState,
} from "./market-feed.js";

/**
 * The JSON a market's owner publishes on the bus. Bigint sequences travel as decimal strings and dates as
 * ISO 8601 strings, both named here rather than left to a replacer, so that a reader gets back exactly the
 * event the owner had.
 */

/** The channel of a market's events, published by its owner. */
export const marketChannel = (market: string): string => `marketdata:${market}`;
/** The channel on which mirrors ask the owner for a snapshot, which it publishes on the market channel. */
export const syncChannel = (market: string): string => `marketdata:${market}:sync`;

/** One message on a market channel. */
export interface FeedMessage {
  readonly event: MarketFeedEvent;
  /** A snapshot published in answer to a sync request, rather than because the owner's book was rebuilt. */
  readonly requested: boolean;
}

type Wire<T> = {
  [K in keyof T]: T[K] extends bigint
    ? string
    : T[K] extends Date
      ? string
      : T[K] extends Date | undefined
        ? string | undefined
        : T[K] extends readonly (infer E)[]
          ? readonly Wire<E>[]
          : T[K] extends object | undefined
            ? Wire<NonNullable<T[K]>> | undefined
            : T[K];
};

type WireEvent =
  | {
      kind: "snapshot";
      book: Wire<BookSnapshot>;
      ticker: Wire<TickerState>;
      recentTrades: Wire<PublicTrade>[];
    }
  | { kind: "update"; delta?: Wire<BookDelta>; trades: Wire<PublicTrade>[]; ticker?: Wire<TickerState> };

interface WireMessage {
  readonly event: WireEvent;
  readonly requested?: true;
}

export function encodeFeedMessage(message: FeedMessage): string {
  const wire: WireMessage = {
    event: encodeEvent(message.event),
    ...(message.requested ? { requested: true } : {}),
  };
  return JSON.stringify(wire);
}

/** Throws on anything that is not a message `encodeFeedMessage` wrote. */
export function decodeFeedMessage(text: string): FeedMessage {
  const wire = JSON.parse(text) as WireMessage;
  return { event: decodeEvent(wire.event), requested: wire.requested === true };
}

function encodeEvent(event: MarketFeedEvent): WireEvent {
  if (event.kind === "snapshot") {
    return {
      kind: "snapshot",
      book: { ...event.book, sequence: event.book.sequence.toString(), asOf: event.book.asOf.toISOString() },
      ticker: encodeTicker(event.ticker),
      recentTrades: event.recentTrades.map(encodeTrade),
    };
  }
  return {
    kind: "update",
    ...(event.delta
      ? {
          delta: {
            ...event.delta,
            firstSequence: event.delta.firstSequence.toString(),
            sequence: event.delta.sequence.toString(),
            asOf: event.delta.asOf.toISOString(),
          },
        }
      : {}),
    trades: event.trades.map(encodeTrade),
    ...(event.ticker ? { ticker: encodeTicker(event.ticker) } : {}),
  };
}

function decodeEvent(wire: WireEvent): MarketFeedEvent {
  switch (wire.kind) {
    case "snapshot":
      return {
        kind: "snapshot",
        book: {
          market: text(wire.book.market),
          sequence: BigInt(text(wire.book.sequence)),
          bids: wire.book.bids.map(decodeLevel),
          asks: wire.book.asks.map(decodeLevel),
          asOf: date(wire.book.asOf),
        },
        ticker: decodeTicker(wire.ticker),
        recentTrades: wire.recentTrades.map(decodeTrade),
      };
    case "update":
      return {
        kind: "update",
        ...(wire.delta
          ? {
              delta: {
                market: text(wire.delta.market),
                firstSequence: BigInt(text(wire.delta.firstSequence)),
                sequence: BigInt(text(wire.delta.sequence)),
                changes: wire.delta.changes.map(decodeLevel),
                asOf: date(wire.delta.asOf),
              },
            }
          : {}),
        trades: wire.trades.map(decodeTrade),
        ...(wire.ticker ? { ticker: decodeTicker(wire.ticker) } : {}),
      };
    default:
      throw new TypeError(
        `unknown market feed event kind ${JSON.stringify((wire as { kind: unknown }).kind)}`,
      );
  }
}

const encodeTrade = (trade: PublicTrade): Wire<PublicTrade> => ({
  ...trade,
  executedAt: trade.executedAt.toISOString(),
});

const encodeTicker = (ticker: TickerState): Wire<TickerState> => ({
  ...ticker,
  asOf: ticker.asOf.toISOString(),
});

function decodeLevel(wire: Wire<LevelState>): LevelState {
  return {
    side: side(wire.side),
    price: text(wire.price),
    quantity: text(wire.quantity),
    orderCount: count(wire.orderCount),
  };
}

function decodeTrade(wire: Wire<PublicTrade>): PublicTrade {
  return {
    market: text(wire.market),
    tradeId: text(wire.tradeId),
    sequence: count(wire.sequence),
    price: text(wire.price),
    quantity: text(wire.quantity),
    quoteAmount: text(wire.quoteAmount),
    takerSide: side(wire.takerSide),
    executedAt: date(wire.executedAt),
  };
}

function decodeTicker(wire: Wire<TickerState>): TickerState {
  const optional = (
    key: "lastPrice" | "bestBid" | "bestAsk" | "open24h" | "high24h" | "low24h" | "change24hPercent",
  ) => (wire[key] === undefined ? {} : { [key]: text(wire[key]) });
  return {
    market: text(wire.market),
    ...optional("lastPrice"),
    ...optional("bestBid"),
    ...optional("bestAsk"),
    ...optional("open24h"),
    ...optional("high24h"),
    ...optional("low24h"),
    volume24h: text(wire.volume24h),
    quoteVolume24h: text(wire.quoteVolume24h),
    ...optional("change24hPercent"),
    asOf: date(wire.asOf),
  };
}

function text(value: unknown): string {
  if (typeof value !== "string") throw new TypeError(`expected a string, got ${typeof value}`);
  return value;
}

function count(value: unknown): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value)) throw new TypeError(`expected an integer`);
  return value;
}

function side(value: unknown): LevelState["side"] {
  if (value !== "buy" && value !== "sell") throw new TypeError(`expected a side, got ${String(value)}`);
  return value;
}

function date(value: unknown): Date {
  const parsed = new Date(text(value));
  if (Number.isNaN(parsed.getTime())) throw new TypeError(`expected an ISO date`);
  return parsed;
}
