import type { Store } from "@bourse/common/storage";
import { readTradingMarket } from "@bourse/trading";
import { MarketBook } from "../domain/market-book.js";
import { readStoredBook } from "../store/book-reads.js";

export interface RecoveredMarket {
  readonly book: MarketBook;
  /** Orders accepted but not matched (or cut mid-sweep by a crash), in `orderId` order, to submit first. */
  readonly pending: readonly string[];
}

/**
 * Rebuilds a market's book from the table when its new owner takes it: the orders in the book, in
 * their time priority, at the last committed sequence. Committed trades already reduced every order's
 * remainder, so re-running the pending ones settles nothing twice.
 */
export async function recoverMarket(store: Store, symbol: string): Promise<RecoveredMarket> {
  const market = await readTradingMarket(store, symbol);
  if (market === undefined) throw new Error(`market ${symbol} is not in the catalogue`);
  const stored = await readStoredBook(store, symbol);
  return {
    book: new MarketBook(market, { seq: stored.seq, resting: stored.resting }),
    pending: stored.pending.map((order) => order.orderId),
  };
}
