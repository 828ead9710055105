import { ExpireReason, OrderStatus, RejectReason } from "@bourse/proto/bourse/orders/v1/order_enums_pb";
import type { Order } from "@bourse/proto/bourse/orders/v1/order_pb";
import { Liquidity, type Trade } from "@bourse/proto/bourse/orders/v1/trade_pb";
import { canonical } from "./trader.js";

/** An order's state as a test compares it: enum names, canonical decimals. */
export interface OrderView {
  readonly status: string;
  readonly filled: string;
  readonly remaining: string;
  readonly filledQuote: string;
  readonly fee: string;
  readonly reason?: string;
}

export function viewOrder(order: Order | undefined): OrderView {
  if (!order) throw new Error("no order");
  const reason =
    order.status === OrderStatus.REJECTED
      ? RejectReason[order.rejectReason]
      : order.status === OrderStatus.EXPIRED
        ? ExpireReason[order.expireReason]
        : undefined;
  return {
    status: OrderStatus[order.status],
    filled: canonical(order.filledQuantity),
    remaining: canonical(order.remainingQuantity),
    filledQuote: canonical(order.filledQuoteAmount),
    fee: canonical(order.fee),
    ...(reason === undefined ? {} : { reason }),
  };
}

/** A fill as a test compares it. */
export interface TradeView {
  readonly price: string;
  readonly quantity: string;
  readonly quoteAmount: string;
  readonly fee: string;
  readonly liquidity: string;
}

export function viewTrades(trades: readonly Trade[]): TradeView[] {
  return trades.map((trade) => ({
    price: canonical(trade.price),
    quantity: canonical(trade.quantity),
    quoteAmount: canonical(trade.quoteAmount),
    fee: canonical(trade.fee),
    liquidity: Liquidity[trade.liquidity],
  }));
}
