import { type OrderRecord, priceToTicks, type TradingMarket } from "@bourse/trading";
import type { EngineIds } from "./engine-ids.js";
import { filledLots, remainingLots } from "./order-units.js";
import type { EngineSnapshot, SnapshotOrder } from "./snapshot.js";

interface Placed {
  readonly record: OrderRecord;
  readonly price: number;
  readonly bookSeq: number;
}

/**
 * The engine snapshot of a market's stored resting orders: each level's queue in book sequence order, which
 * is the order they joined it in, so the rebuilt book has the same priorities as the one that wrote them.
 * Fills `ids` and `resting` (engine number → record) as it goes.
 */
export function restoreSnapshot(
  market: TradingMarket,
  restored: { readonly seq: number; readonly resting: readonly OrderRecord[] },
  ids: EngineIds,
  resting: Map<number, OrderRecord>,
): EngineSnapshot {
  const placed: Placed[] = restored.resting.map((record) => {
    if (record.bookSeq === undefined) throw new Error(`order ${record.orderId} is not in the book`);
    return { record, price: priceToTicks(record.price, market), bookSeq: record.bookSeq };
  });
  const bestFirst = (a: Placed, b: Placed) =>
    (a.record.side === "buy" ? b.price - a.price : a.price - b.price) || a.bookSeq - b.bookSeq;
  const bids = placed.filter((order) => order.record.side === "buy").sort(bestFirst);
  const asks = placed.filter((order) => order.record.side === "sell").sort(bestFirst);
  const orders = [...bids, ...asks].map(({ record, price }): SnapshotOrder => {
    const orderId = ids.enter(record.orderId);
    resting.set(orderId, record);
    const filled = filledLots(record, market);
    const remaining = remainingLots(record, market);
    return {
      orderId,
      accountId: ids.account(record.accountId),
      side: record.side,
      price,
      quantity: filled + remaining,
      filled,
      remaining,
      stp: record.stp,
      postOnly: record.postOnly,
    };
  });
  // The entry filters are the orders service's (see MarketBook), so the engine's own are open.
  return { version: 1, seq: restored.seq, rules: { minQuantity: 1, minNotional: "0" }, orders };
}
