import { formatDecimal, parseDecimal } from "@bourse/common/money";
import { queryAll, type Store } from "@bourse/common/storage";
import type { GetBookStatusResponse } from "@bourse/proto/bourse/matching/v1/matching_service_pb";
import { marketBookPartition, type OrderRecord, orderFromItem } from "@bourse/trading";
import { canonical } from "./trader.js";

/** A market's open orders as stored (GSI2): the book by `bookSeq`, then the pending ones. */
export async function storedOpenOrders(store: Store, market: string): Promise<OrderRecord[]> {
  const items = await queryAll(store, { index: "GSI2", partition: marketBookPartition(market) });
  return items.map(orderFromItem);
}

/** One resting order as a sweep of the book meets it: its id and the base units it still offers. */
export interface RestingOrder {
  readonly orderId: string;
  readonly remaining: bigint;
}

const remainingOf = (order: OrderRecord): bigint =>
  parseDecimal(order.quantity, order.baseScale) - order.filledBase;
const priceOf = (order: OrderRecord): bigint => parseDecimal(order.price, order.quoteScale);

/**
 * The stored book in price-time priority, each side as a taker sweeping it meets the orders: bids from the
 * highest price, asks from the lowest, each level by `bookSeq` (DESIGN §3.6).
 */
export function priorityOf(resting: readonly OrderRecord[]): { bids: OrderRecord[]; asks: OrderRecord[] } {
  const bySeq = (a: OrderRecord, b: OrderRecord) => (a.bookSeq ?? 0) - (b.bookSeq ?? 0);
  const compare = (direction: 1n | -1n) => (a: OrderRecord, b: OrderRecord) => {
    const difference = (priceOf(a) - priceOf(b)) * direction;
    return difference === 0n ? bySeq(a, b) : difference < 0n ? -1 : 1;
  };
  return {
    bids: resting.filter((order) => order.side === "buy").sort(compare(-1n)),
    asks: resting.filter((order) => order.side === "sell").sort(compare(1n)),
  };
}

export const restingOrders = (orders: readonly OrderRecord[]): RestingOrder[] =>
  orders.map((order) => ({ orderId: order.orderId, remaining: remainingOf(order) }));

/** What GetBookStatus must say of a book holding exactly `resting`. */
export function statusOfStoredBook(resting: readonly OrderRecord[]): {
  openOrderCount: number;
  bestBid: string;
  bestAsk: string;
} {
  const { bids, asks } = priorityOf(resting);
  const best = (order: OrderRecord | undefined) =>
    order ? formatDecimal(priceOf(order), order.quoteScale, { trimZeros: true }) : "";
  return { openOrderCount: resting.length, bestBid: best(bids[0]), bestAsk: best(asks[0]) };
}

/** GetBookStatus's view of the book, in the same terms. */
export function bookStatusView(status: GetBookStatusResponse): {
  openOrderCount: number;
  bestBid: string;
  bestAsk: string;
} {
  return {
    openOrderCount: status.openOrderCount,
    bestBid: canonical(status.bestBid),
    bestAsk: canonical(status.bestAsk),
  };
}

/** Base units of a side of the book, for a sweep of all of it. */
export const totalRemaining = (orders: readonly OrderRecord[]): bigint =>
  orders.reduce((total, order) => total + remainingOf(order), 0n);
