import { formatDecimal, parseDecimal } from "@bourse/common/money";
import {
  type ExecutionReport,
  ExecutionReportSchema,
  FillSchema,
} from "@bourse/proto/bourse/matching/v1/execution_report_pb";
import { ExpireReason, OrderStatus, RejectReason } from "@bourse/proto/bourse/orders/v1/order_enums_pb";
import type { OrderRecord } from "@bourse/trading";
import { create } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import type { CommandResult } from "../runtime/commands.js";

/** Amounts in canonical form (no trailing fractional zeros), as the orders service answers them. */
const amount = (units: bigint, scale: number) => formatDecimal(units, scale, { trimZeros: true });

/** Base quantity left: on the book while open, unfilled once final; empty for a buy sized by quote alone. */
function remainingQuantity(order: OrderRecord): string {
  if (order.quantity === "") return "";
  return amount(parseDecimal(order.quantity, order.baseScale) - order.filledBase, order.baseScale);
}

/** A command's answer as MatchingService reports it: the order's state and the fills it made as taker. */
export function executionReportOf(result: CommandResult): ExecutionReport {
  const { order, trades } = result.report;
  const makerOf = new Map(
    result.steps.map((step) => {
      const { buyer, seller } = step.trade;
      return [step.trade.tradeId, buyer.maker ? buyer.orderId : seller.orderId] as const;
    }),
  );
  const fills = trades
    .filter((trade) => trade.orderId === order.orderId && !trade.maker)
    .map((trade) =>
      create(FillSchema, {
        tradeId: trade.tradeId,
        sequence: BigInt(trade.sequence),
        price: trade.price,
        quantity: amount(trade.quantity, trade.baseScale),
        quoteAmount: amount(trade.quoteAmount, trade.quoteScale),
        makerOrderId: makerOf.get(trade.tradeId) ?? "",
        // Fees are charged in quote on both sides (docs/order-flow.md).
        fee: amount(trade.feeQuote, trade.quoteScale),
        executedAt: timestampFromDate(trade.executedAt),
      }),
    );
  return create(ExecutionReportSchema, {
    orderId: order.orderId,
    status: OrderStatus[order.status],
    rejectReason:
      order.rejectReason === undefined ? RejectReason.UNSPECIFIED : RejectReason[order.rejectReason],
    expireReason:
      order.expireReason === undefined ? ExpireReason.UNSPECIFIED : ExpireReason[order.expireReason],
    price: order.price,
    filledQuantity: amount(order.filledBase, order.baseScale),
    remainingQuantity: remainingQuantity(order),
    filledQuoteAmount: amount(order.filledQuote, order.quoteScale),
    fills,
    sequence: BigInt(result.seq),
    replayed: result.replayed,
    fee: amount(order.feeQuote, order.quoteScale),
    updatedAt: timestampFromDate(order.updatedAt),
  });
}
