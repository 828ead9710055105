import { type NewOrderInput, newOrderRecord, type OrderRecord } from "@bourse/trading";

/**
 * The order as the orders service stores it on acceptance (see `newOrderRecord`). `protectionPrice` is the
 * limit of a market buy sized in quantity.
 */
export function newOrder(input: NewOrderInput, protectionPrice?: string): OrderRecord {
  if (protectionPrice === undefined) return newOrderRecord(input);
  return newOrderRecord({ ...input, request: { ...input.request, price: protectionPrice } });
}

/**
 * A market buy sized in quantity that found no ask to price it against: it ends at once, EXPIRED with
 * NO_LIQUIDITY, and holds nothing.
 */
export function unpricedMarketBuy(input: NewOrderInput): OrderRecord {
  return {
    ...newOrderRecord(input, { asset: input.market.quote, amount: 0n }),
    status: "EXPIRED",
    expireReason: "NO_LIQUIDITY",
  };
}
