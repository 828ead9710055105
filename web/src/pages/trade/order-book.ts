import {
  BookSide,
  type OrderBook,
  type OrderBookDelta,
} from "@bourse/proto/bourse/marketdata/v1/order_book_pb";
import { compareDecimals } from "../../lib/decimal.ts";

/** One aggregated price level, as the stream describes it. */
export interface BookLevel {
  readonly price: string;
  readonly quantity: string;
  readonly orderCount: number;
}

/** The client's copy of one market's book at one sequence: bids highest first, asks lowest first. */
export interface Book {
  readonly market: string;
  readonly sequence: bigint;
  readonly bids: readonly BookLevel[];
  readonly asks: readonly BookLevel[];
}

/** What applying a delta did: the new book, or a gap that means the copy must be dropped and re-snapshotted. */
export type DeltaOutcome =
  | { readonly kind: "applied"; readonly book: Book }
  | { readonly kind: "gap"; readonly expected: bigint; readonly received: bigint };

const levelOf = ({ price, quantity, orderCount }: BookLevel): BookLevel => ({ price, quantity, orderCount });

/** A snapshot replaces whatever the client held. */
export function bookFromSnapshot(snapshot: OrderBook): Book {
  return {
    market: snapshot.market,
    sequence: snapshot.sequence,
    bids: snapshot.bids.map(levelOf),
    asks: snapshot.asks.map(levelOf),
  };
}

/**
 * Where `price` sits in `levels` (bids descending, asks ascending): its index and whether a level with
 * exactly that price is there. Binary search, since a deep book has hundreds of levels per side.
 */
function locate(
  levels: readonly BookLevel[],
  price: string,
  descending: boolean,
): { index: number; found: boolean } {
  let low = 0;
  let high = levels.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    const level = levels[middle] as BookLevel;
    const order = compareDecimals(level.price, price) * (descending ? -1 : 1);
    if (order === 0) return { index: middle, found: true };
    if (order < 0) low = middle + 1;
    else high = middle;
  }
  return { index: low, found: false };
}

function applyChange(
  levels: BookLevel[],
  change: { price: string; quantity: string; orderCount: number },
  descending: boolean,
): void {
  const { index, found } = locate(levels, change.price, descending);
  const removed = compareDecimals(change.quantity, "0") === 0;
  if (removed) {
    if (found) levels.splice(index, 1);
    return;
  }
  const level = { price: change.price, quantity: change.quantity, orderCount: change.orderCount };
  if (found) levels[index] = level;
  else levels.splice(index, 0, level);
}

/**
 * Applies a delta when it continues the book gaplessly (first_sequence = sequence + 1); anything else is a gap
 * (proto: OrderBookDelta, "Gap detection"). The input book is left untouched, so React sees a new object.
 */
export function applyDelta(book: Book, delta: OrderBookDelta): DeltaOutcome {
  const expected = book.sequence + 1n;
  if (delta.firstSequence !== expected) return { kind: "gap", expected, received: delta.firstSequence };
  const bids = [...book.bids];
  const asks = [...book.asks];
  for (const change of delta.changes) {
    if (change.side === BookSide.BID) applyChange(bids, change, true);
    else if (change.side === BookSide.ASK) applyChange(asks, change, false);
  }
  return { kind: "applied", book: { market: book.market, sequence: delta.sequence, bids, asks } };
}
