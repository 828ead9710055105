import { formatDecimal } from "@bourse/common/money";
import { type BookOrder, BookOrderSchema } from "@bourse/proto/bourse/matching/v1/book_order_pb";
import {
  OrderType,
  SelfTradePrevention,
  Side,
  TimeInForce,
} from "@bourse/proto/bourse/orders/v1/order_enums_pb";
import type { OrderRecord } from "@bourse/trading";
import { create } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";

/**
 * The accepted order as SubmitOrder carries it. A market buy's `quote_budget` is what it holds: its quote
 * amount, or for one sized in quantity the hold at its protection price.
 */
export function bookOrderOf(order: OrderRecord): BookOrder {
  const marketBuy = order.type === "market" && order.side === "buy";
  return create(BookOrderSchema, {
    orderId: order.orderId,
    accountId: order.accountId,
    market: order.market,
    side: order.side === "buy" ? Side.BUY : Side.SELL,
    type: order.type === "limit" ? OrderType.LIMIT : OrderType.MARKET,
    timeInForce: TimeInForce[order.timeInForce],
    postOnly: order.postOnly,
    selfTradePrevention: SelfTradePrevention[order.stp],
    price: order.price,
    quantity: order.quantity,
    quoteBudget: marketBuy ? formatDecimal(order.holdAmount, order.quoteScale, { trimZeros: true }) : "",
    holdReferenceId: order.orderId,
    acceptedAt: timestampFromDate(order.createdAt),
  });
}
