import { type HoldAmount, holdFor } from "./order-amounts.js";
import type { OrderRecord } from "./order-record.js";
import type { TradingMarket } from "./trading-market.js";

/** The fields of an order that its placer chooses; the rest come from the market, the fills and the hold. */
export type OrderRequestFields = Pick<
  OrderRecord,
  | "market"
  | "side"
  | "type"
  | "timeInForce"
  | "postOnly"
  | "stp"
  | "price"
  | "quantity"
  | "quoteAmount"
  | "clientOrderId"
>;

export interface NewOrderInput {
  readonly orderId: string;
  readonly accountId: string;
  readonly request: OrderRequestFields;
  readonly market: TradingMarket;
  readonly now: Date;
}

/**
 * The order as the orders service stores it on acceptance: NEW and pending (no `bookSeq`), with the
 * market's scales and fee rates of the moment, nothing filled, holding `hold` under the order id (by
 * default what `holdFor` says).
 */
export function newOrderRecord(
  input: NewOrderInput,
  hold: HoldAmount = holdFor(input.request, input.market),
): OrderRecord {
  const { request, market } = input;
  return {
    orderId: input.orderId,
    accountId: input.accountId,
    clientOrderId: request.clientOrderId,
    market: request.market,
    side: request.side,
    type: request.type,
    timeInForce: request.timeInForce,
    postOnly: request.postOnly,
    stp: request.stp,
    price: request.price,
    quantity: request.quantity,
    quoteAmount: request.quoteAmount,
    baseScale: market.baseScale,
    quoteScale: market.quoteScale,
    makerFeeRate: market.makerFeeRate,
    takerFeeRate: market.takerFeeRate,
    status: "NEW",
    filledBase: 0n,
    filledQuote: 0n,
    feeQuote: 0n,
    holdAsset: hold.asset,
    holdAmount: hold.amount,
    createdAt: input.now,
    updatedAt: input.now,
  };
}
