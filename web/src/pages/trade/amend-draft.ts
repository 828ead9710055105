import { compareDecimals } from "../../lib/decimal.ts";
import { type MarketRules, stepsError } from "./order-draft.ts";

/** What the amend editor holds: either field may be left empty to keep the order's value. */
export interface AmendDraft {
  readonly price: string;
  readonly quantity: string;
}

/** The order being amended: its total quantity and what already filled. */
export interface AmendedOrder {
  readonly quantity: string;
  readonly filledQuantity: string;
}

/**
 * The reason the server would refuse the amend (services/orders amend-order.ts and amend-change.ts), or
 * undefined: a new price on the tick; a new TOTAL quantity on the lot, above what filled and not above the
 * current quantity.
 */
export function amendError(draft: AmendDraft, order: AmendedOrder, rules: MarketRules): string | undefined {
  if (draft.price === "" && draft.quantity === "") return "Enter a new price, a new quantity or both";
  if (draft.price !== "") {
    const priceError = stepsError("Price", draft.price, rules.tickSize, "tick size");
    if (priceError) return priceError;
  }
  if (draft.quantity !== "") {
    const quantityError = stepsError("Quantity", draft.quantity, rules.lotSize, "lot size");
    if (quantityError) return quantityError;
    if (compareDecimals(draft.quantity, order.quantity) > 0) {
      return `Quantity cannot grow above ${order.quantity}: place another order`;
    }
    if (compareDecimals(draft.quantity, order.filledQuantity) <= 0) {
      return `Quantity must be above what already filled, ${order.filledQuantity}: cancel the order instead`;
    }
  }
  return undefined;
}
