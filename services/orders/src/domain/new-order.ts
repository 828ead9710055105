import { holdFor, type OrderRecord, type TradingMarket } from "@bourse/trading";
import type { OrderTerms } from "./order-terms.js";

export interface NewOrderInput {
  readonly orderId: string;
  readonly accountId: string;
  readonly terms: OrderTerms;
  readonly market: TradingMarket;
  readonly now: Date;
}

function acceptedOrder(input: NewOrderInput, price: string): Omit<OrderRecord, "holdAsset" | "holdAmount"> {
  const { terms, market } = input;
  return {
    orderId: input.orderId,
    accountId: input.accountId,
    clientOrderId: terms.clientOrderId,
    market: terms.market,
    side: terms.side,
    type: terms.type,
    timeInForce: terms.timeInForce,
    postOnly: terms.postOnly,
    stp: terms.stp,
    price,
    quantity: terms.quantity,
    quoteAmount: terms.quoteAmount,
    baseScale: market.baseScale,
    quoteScale: market.quoteScale,
    makerFeeRate: market.makerFeeRate,
    takerFeeRate: market.takerFeeRate,
    status: "NEW",
    filledBase: 0n,
    filledQuote: 0n,
    feeQuote: 0n,
    createdAt: input.now,
    updatedAt: input.now,
  };
}

/**
 * The order as the orders service stores it on acceptance: NEW and pending (no `bookSeq`), holding what
 * `holdFor` says under the order id. `protectionPrice` is the limit of a market buy sized in quantity.
 */
export function newOrder(input: NewOrderInput, protectionPrice?: string): OrderRecord {
  const order = acceptedOrder(input, protectionPrice ?? input.terms.price);
  const hold = holdFor(order, input.market);
  return { ...order, holdAsset: hold.asset, holdAmount: hold.amount };
}

/**
 * A market buy sized in quantity that found no ask to price it against: it ends at once, EXPIRED with
 * NO_LIQUIDITY, and holds nothing.
 */
export function unpricedMarketBuy(input: NewOrderInput): OrderRecord {
  return {
    ...acceptedOrder(input, ""),
    status: "EXPIRED",
    expireReason: "NO_LIQUIDITY",
    holdAsset: input.market.quote,
    holdAmount: 0n,
  };
}
