import { formatDecimal, parseDecimal } from "@bourse/common/money";
import type { OrderRecord } from "@bourse/trading";
import { priorityOf } from "../../order-flow/support/book.js";
import { canonical } from "../../order-flow/support/trader.js";
import type { BookView, LevelView } from "./book-replica.js";

/** Orders of one side in priority order, summed per price as an aggregated book shows them. */
function levelsOf(orders: readonly OrderRecord[]): LevelView[] {
  const levels: Array<{ price: string; remaining: bigint; orderCount: number; scale: number }> = [];
  for (const order of orders) {
    const price = canonical(order.price);
    const remaining = parseDecimal(order.quantity, order.baseScale) - order.filledBase;
    const last = levels.at(-1);
    if (last?.price === price) {
      last.remaining += remaining;
      last.orderCount++;
    } else {
      levels.push({ price, remaining, orderCount: 1, scale: order.baseScale });
    }
  }
  return levels.map((level) => ({
    price: level.price,
    quantity: formatDecimal(level.remaining, level.scale, { trimZeros: true }),
    orderCount: level.orderCount,
  }));
}

/** The book the stored open orders make, aggregated per price level: what GetOrderBook must show. */
export function storedBookView(resting: readonly OrderRecord[]): BookView {
  const { bids, asks } = priorityOf(resting);
  return { bids: levelsOf(bids), asks: levelsOf(asks) };
}
