import { MAX_SCALE, parseDecimal } from "@bourse/common/money";
import {
  BookSide,
  type LevelChange,
  type OrderBook,
  type OrderBookDelta,
  type PriceLevel,
} from "@bourse/proto/bourse/marketdata/v1/order_book_pb";
import { canonical } from "../../order-flow/support/trader.js";

/** One price level as a client compares it: canonical decimals ("10.5", not "10.50"). */
export interface LevelView {
  readonly price: string;
  readonly quantity: string;
  readonly orderCount: number;
}

/** Both sides of a book, best price first. */
export interface BookView {
  readonly bids: readonly LevelView[];
  readonly asks: readonly LevelView[];
}

/** What applying one stream message did to the replica. */
export type Applied = "snapshot" | "delta" | "gap";

const levelView = (level: PriceLevel | LevelChange): LevelView => ({
  price: canonical(level.price),
  quantity: canonical(level.quantity),
  orderCount: level.orderCount,
});

const priceUnits = (level: LevelView) => parseDecimal(level.price, MAX_SCALE);
const byPrice = (direction: 1n | -1n) => (a: LevelView, b: LevelView) => {
  const difference = (priceUnits(a) - priceUnits(b)) * direction;
  return difference === 0n ? 0 : difference < 0n ? -1 : 1;
};

/** GetOrderBook's (or a snapshot's) levels, in the terms a replica compares. */
export function bookView(book: OrderBook | undefined): BookView {
  return { bids: (book?.bids ?? []).map(levelView), asks: (book?.asks ?? []).map(levelView) };
}

/**
 * A client's copy of one market's book, built from StreamOrderBook alone, as the protocol says a client
 * builds it: a snapshot replaces the copy; a delta applies only when its first sequence is the one after
 * the last sequence applied (each change replaces its level, quantity "0" removes it), and anything else
 * is a gap, after which the copy is worthless until the next snapshot.
 */
export class BookReplica {
  /** The book sequence the copy reflects; undefined before the first snapshot and after a gap. */
  sequence: bigint | undefined;
  private readonly bids = new Map<string, LevelView>();
  private readonly asks = new Map<string, LevelView>();

  applySnapshot(book: OrderBook): Applied {
    this.bids.clear();
    this.asks.clear();
    for (const level of book.bids) this.bids.set(canonical(level.price), levelView(level));
    for (const level of book.asks) this.asks.set(canonical(level.price), levelView(level));
    this.sequence = book.sequence;
    return "snapshot";
  }

  applyDelta(delta: OrderBookDelta): Applied {
    if (this.sequence === undefined || delta.firstSequence !== this.sequence + 1n) {
      this.sequence = undefined;
      return "gap";
    }
    for (const change of delta.changes) this.applyChange(change);
    this.sequence = delta.sequence;
    return "delta";
  }

  view(): BookView {
    return {
      bids: [...this.bids.values()].sort(byPrice(-1n)),
      asks: [...this.asks.values()].sort(byPrice(1n)),
    };
  }

  private applyChange(change: LevelChange): void {
    const side =
      change.side === BookSide.BID ? this.bids : change.side === BookSide.ASK ? this.asks : undefined;
    if (!side) throw new Error(`a level change on side ${change.side}`);
    const level = levelView(change);
    if (level.quantity === "0") side.delete(level.price);
    else side.set(level.price, level);
  }
}
