import type { OrderExpireReason, OrderRecord, OrderRejectReason } from "@bourse/trading";
import type { HoldRelease } from "./outcome.js";

/**
 * What remains of a done order's hold goes back to its account, in the transaction that closes it. The
 * reference id is the same however the order ended, so a replayed close cannot release twice.
 */
export const closeRelease = (order: OrderRecord): HoldRelease => ({
  accountId: order.accountId,
  asset: order.holdAsset,
  holdReferenceId: order.orderId,
  referenceId: `${order.orderId}:close`,
  amount: "all",
});

export type DoneState =
  | { readonly status: "FILLED" | "CANCELED" }
  | { readonly status: "EXPIRED"; readonly expireReason: OrderExpireReason }
  | { readonly status: "REJECTED"; readonly rejectReason?: OrderRejectReason };

/** The order out of the book for good: no book sequence, so it also leaves the market's book index. */
export function doneOrder(order: OrderRecord, state: DoneState, now: Date): OrderRecord {
  const { bookSeq: _left, ...rest } = order;
  return { ...rest, ...state, updatedAt: now };
}
