import type { Fill } from "@bourse/proto/bourse/matching/v1/execution_report_pb";
import { Liquidity, type Trade, TradeSchema } from "@bourse/proto/bourse/orders/v1/trade_pb";
import { type OrderRecord, quoteOf, sideToProto } from "@bourse/trading";
import { create } from "@bufbuild/protobuf";

export { accountTradeToProto, orderToProto } from "@bourse/trading";

/** A fill matching reported for the order as taker, seen from the order's side. */
export function fillToProto(fill: Fill, order: OrderRecord): Trade {
  return create(TradeSchema, {
    id: fill.tradeId,
    orderId: order.orderId,
    market: order.market,
    price: fill.price,
    quantity: fill.quantity,
    quoteAmount: fill.quoteAmount,
    side: sideToProto(order.side),
    liquidity: Liquidity.TAKER,
    fee: fill.fee,
    feeAsset: quoteOf(order.market),
    executedAt: fill.executedAt,
  });
}
