import {
  ExpireReason,
  OrderStatus,
  OrderType,
  RejectReason,
  Side,
  TimeInForce,
} from "@bourse/proto/bourse/orders/v1/order_enums_pb";
import type { Order } from "@bourse/proto/bourse/orders/v1/order_pb";

/** Words for the order enums, as the order tables and the form's result show them. */

export const sideLabel = (side: Side): string =>
  side === Side.BUY ? "Buy" : side === Side.SELL ? "Sell" : "";

export const typeLabel = (type: OrderType): string =>
  type === OrderType.LIMIT ? "Limit" : type === OrderType.MARKET ? "Market" : "";

const timeInForceLabels: Partial<Record<TimeInForce, string>> = {
  [TimeInForce.GTC]: "GTC",
  [TimeInForce.IOC]: "IOC",
  [TimeInForce.FOK]: "FOK",
};

export function timeInForceLabel(order: Order): string {
  return order.postOnly ? "Post only" : (timeInForceLabels[order.timeInForce] ?? "");
}

const statusLabels: Partial<Record<OrderStatus, string>> = {
  [OrderStatus.NEW]: "Open",
  [OrderStatus.PARTIALLY_FILLED]: "Partially filled",
  [OrderStatus.FILLED]: "Filled",
  [OrderStatus.CANCELED]: "Canceled",
  [OrderStatus.REJECTED]: "Rejected",
  [OrderStatus.EXPIRED]: "Expired",
};

const rejectReasons: Partial<Record<RejectReason, string>> = {
  [RejectReason.POST_ONLY_WOULD_TAKE]: "post-only order would have traded",
  [RejectReason.MARKET_HALTED]: "market halted",
  [RejectReason.PRICE_NOT_ON_TICK]: "price off the tick size",
  [RejectReason.QUANTITY_NOT_ON_LOT]: "quantity off the lot size",
  [RejectReason.BELOW_MIN_QUANTITY]: "below the minimum quantity",
  [RejectReason.BELOW_MIN_NOTIONAL]: "below the minimum value",
};

const expireReasons: Partial<Record<ExpireReason, string>> = {
  [ExpireReason.IOC_REMAINDER]: "unfilled remainder of an immediate order",
  [ExpireReason.FOK_UNFILLABLE]: "could not fill completely at once",
  [ExpireReason.NO_LIQUIDITY]: "no liquidity",
  [ExpireReason.SELF_TRADE_PREVENTION]: "would have traded with your own order",
  [ExpireReason.BUDGET_EXHAUSTED]: "budget exhausted",
};

/** The status in words, with the reason for a rejection or an expiry: "Expired (no liquidity)". */
export function statusLabel(order: Order): string {
  const status = statusLabels[order.status] ?? "";
  const reason =
    order.status === OrderStatus.REJECTED
      ? rejectReasons[order.rejectReason]
      : order.status === OrderStatus.EXPIRED
        ? expireReasons[order.expireReason]
        : undefined;
  return reason ? `${status} (${reason})` : status;
}
