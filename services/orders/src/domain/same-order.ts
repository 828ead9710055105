import type { OrderRecord } from "@bourse/trading";
import type { OrderTerms } from "./order-terms.js";

/**
 * True when a PlaceOrder retry asks for the order already bound to its client order id. Both sides are
 * canonical decimals. A market buy sized in quantity stores its protection price, which the request never
 * carries, so a market order's price is not compared.
 */
export function isSameOrder(record: OrderRecord, terms: OrderTerms): boolean {
  return (
    record.market === terms.market &&
    record.side === terms.side &&
    record.type === terms.type &&
    record.timeInForce === terms.timeInForce &&
    record.postOnly === terms.postOnly &&
    record.stp === terms.stp &&
    (record.type === "market" || record.price === terms.price) &&
    record.quantity === terms.quantity &&
    record.quoteAmount === terms.quoteAmount
  );
}
