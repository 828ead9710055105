import { formatDecimal, parseDecimal } from "@bourse/common/money";
import {
  ExpireReason,
  OrderStatus,
  OrderType,
  RejectReason,
  SelfTradePrevention,
  Side,
  TimeInForce,
} from "@bourse/proto/bourse/orders/v1/order_enums_pb";
import { type Order, OrderSchema } from "@bourse/proto/bourse/orders/v1/order_pb";
import { Liquidity, type Trade, TradeSchema } from "@bourse/proto/bourse/orders/v1/trade_pb";
import { create } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import type { AccountTradeRecord, OrderRecord, OrderSide } from "./order-record.js";

/*
 * The stored order and trade as OrderService shows them, shared by the orders service's answers and the
 * execution reports matching publishes (StreamMyOrders). The domain names are the proto enum value names
 * (OrderState "PARTIALLY_FILLED" is OrderStatus.PARTIALLY_FILLED), so each mapping is a lookup by name.
 */
export const sideToProto = (side: OrderSide): Side => (side === "buy" ? Side.BUY : Side.SELL);

const amount = (units: bigint, scale: number) => formatDecimal(units, scale, { trimZeros: true });

/** The quote asset of a market symbol: fees are paid in it on both sides. */
export const quoteOf = (market: string): string => market.slice(market.indexOf("-") + 1);

export function orderToProto(order: OrderRecord): Order {
  const quantity = order.quantity === "" ? undefined : parseDecimal(order.quantity, order.baseScale);
  const average =
    order.filledBase === 0n
      ? ""
      : amount((order.filledQuote * 10n ** BigInt(order.baseScale)) / order.filledBase, order.quoteScale);
  return create(OrderSchema, {
    id: order.orderId,
    clientOrderId: order.clientOrderId,
    market: order.market,
    side: sideToProto(order.side),
    type: order.type === "limit" ? OrderType.LIMIT : OrderType.MARKET,
    timeInForce: TimeInForce[order.timeInForce],
    postOnly: order.postOnly,
    selfTradePrevention: SelfTradePrevention[order.stp],
    // A market buy sized in quantity stores its protection price; the order itself has no limit.
    price: order.type === "limit" ? order.price : "",
    quantity: order.quantity,
    quoteAmount: order.quoteAmount,
    status: OrderStatus[order.status],
    filledQuantity: amount(order.filledBase, order.baseScale),
    remainingQuantity: quantity === undefined ? "" : amount(quantity - order.filledBase, order.baseScale),
    filledQuoteAmount: amount(order.filledQuote, order.quoteScale),
    averageFillPrice: average,
    fee: amount(order.feeQuote, order.quoteScale),
    feeAsset: quoteOf(order.market),
    rejectReason: order.rejectReason ? RejectReason[order.rejectReason] : RejectReason.UNSPECIFIED,
    expireReason: order.expireReason ? ExpireReason[order.expireReason] : ExpireReason.UNSPECIFIED,
    createdAt: timestampFromDate(order.createdAt),
    updatedAt: timestampFromDate(order.updatedAt),
  });
}

export function accountTradeToProto(trade: AccountTradeRecord): Trade {
  return create(TradeSchema, {
    id: trade.tradeId,
    orderId: trade.orderId,
    market: trade.market,
    price: trade.price,
    quantity: amount(trade.quantity, trade.baseScale),
    quoteAmount: amount(trade.quoteAmount, trade.quoteScale),
    side: sideToProto(trade.side),
    liquidity: trade.maker ? Liquidity.MAKER : Liquidity.TAKER,
    fee: amount(trade.feeQuote, trade.quoteScale),
    feeAsset: quoteOf(trade.market),
    executedAt: timestampFromDate(trade.executedAt),
  });
}
