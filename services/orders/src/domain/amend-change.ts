import { failedPrecondition, invalidArgument } from "@bourse/common";
import { formatDecimal, formatSteps, parseDecimal } from "@bourse/common/money";
import type { OrderRecord } from "@bourse/trading";

/** What matching's AmendOrder takes: the new limit and the new OPEN quantity. */
export interface AmendChange {
  readonly price?: string;
  readonly remainingQuantity?: string;
}

/**
 * Turns the public amend (a new price in ticks, a new TOTAL quantity in lots) into matching's, whose
 * quantity is what stays open: the new total minus what already filled. The new total must stay above
 * what filled (to zero is a cancel) and may not grow (a larger order would need a larger hold).
 */
export function amendChange(
  order: OrderRecord,
  change: { readonly ticks?: bigint; readonly lots?: bigint },
  sizes: { readonly tickSize: string; readonly lotSize: string },
): AmendChange {
  if (change.ticks === undefined && change.lots === undefined) {
    throw invalidArgument("set price, quantity or both");
  }
  let remainingQuantity: string | undefined;
  if (change.lots !== undefined) {
    const total = formatSteps(change.lots, sizes.lotSize);
    const totalBase = parseDecimal(total, order.baseScale);
    if (totalBase > parseDecimal(order.quantity, order.baseScale)) {
      throw failedPrecondition(`quantity cannot grow above ${order.quantity}; place another order`);
    }
    if (totalBase <= order.filledBase) {
      throw invalidArgument(
        `quantity must be above what already filled, ${formatDecimal(order.filledBase, order.baseScale, { trimZeros: true })}; cancel the order instead`,
      );
    }
    remainingQuantity = formatDecimal(totalBase - order.filledBase, order.baseScale, { trimZeros: true });
  }
  return {
    price: change.ticks === undefined ? undefined : formatSteps(change.ticks, sizes.tickSize),
    remainingQuantity,
  };
}
