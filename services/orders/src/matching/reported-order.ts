import { parseDecimal } from "@bourse/common/money";
import type { ExecutionReport } from "@bourse/proto/bourse/matching/v1/execution_report_pb";
import { ExpireReason, OrderStatus, RejectReason } from "@bourse/proto/bourse/orders/v1/order_enums_pb";
import type { OrderExpireReason, OrderRecord, OrderRejectReason, OrderState } from "@bourse/trading";
import { timestampDate } from "@bufbuild/protobuf/wkt";

/**
 * The order as matching's report on its submission leaves it: the record this service wrote, with the
 * progress the report states (status, reasons, filled amounts, fees, when it last changed), so the answer
 * needs no read of the order. Undefined when the report cannot say (it is about another order, or comes
 * from an engine that reports no fees or time): read the order then.
 */
export function reportedOrder(
  written: OrderRecord,
  report: ExecutionReport | undefined,
): OrderRecord | undefined {
  if (
    report === undefined ||
    report.orderId !== written.orderId ||
    report.status === OrderStatus.UNSPECIFIED ||
    report.updatedAt === undefined ||
    report.fee === ""
  ) {
    return undefined;
  }
  // The domain names are the proto enum value names (see to-proto.ts).
  return {
    ...written,
    status: OrderStatus[report.status] as OrderState,
    rejectReason:
      report.rejectReason === RejectReason.UNSPECIFIED
        ? undefined
        : (RejectReason[report.rejectReason] as OrderRejectReason),
    expireReason:
      report.expireReason === ExpireReason.UNSPECIFIED
        ? undefined
        : (ExpireReason[report.expireReason] as OrderExpireReason),
    filledBase: parseDecimal(report.filledQuantity, written.baseScale),
    filledQuote: parseDecimal(report.filledQuoteAmount, written.quoteScale),
    feeQuote: parseDecimal(report.fee, written.quoteScale),
    updatedAt: timestampDate(report.updatedAt),
  };
}
