import {
  addDecimals,
  compareDecimals,
  DecimalError,
  decimalScale,
  multiplyDecimals,
  parseSteps,
  subtractDecimals,
} from "../../lib/decimal.ts";
import { feeCeiling } from "./amounts.ts";

export type DraftSide = "buy" | "sell";
export type DraftType = "limit" | "market";
/** The time-in-force control's choices: post-only is a GTC limit order that may only add liquidity. */
export type DraftTimeInForce = "GTC" | "IOC" | "FOK" | "POST_ONLY";

/** What the order form holds, as typed. */
export interface OrderDraft {
  readonly side: DraftSide;
  readonly type: DraftType;
  readonly timeInForce: DraftTimeInForce;
  readonly price: string;
  readonly quantity: string;
}

/** The market's trading rules (InventoryService.GetMarket) and the quote asset's precision (GetAsset). */
export interface MarketRules {
  readonly base: string;
  readonly quote: string;
  readonly tickSize: string;
  readonly lotSize: string;
  readonly minQuantity: string;
  readonly minNotional: string;
  readonly makerFeeRate: string;
  readonly takerFeeRate: string;
  /** Fraction digits of the quote asset: fees and holds are rounded to it, as the server does. */
  readonly quoteScale: number;
  readonly halted: boolean;
}

/** What the caller can spend, by asset symbol; absent when not known (signed out, not loaded yet). */
export type Available = ReadonlyMap<string, string>;

/** The cost and fee preview of a valid draft. */
export interface OrderPreview {
  /** price × quantity in the quote asset; for a market order, estimated at the best opposite price. */
  readonly notional: string;
  /** The most the order can pay in fees: the higher of the maker and taker rates, rounded up. */
  readonly maxFee: string;
  /** A buy's notional plus fee (what is held); a sell's notional minus the fee (the least it receives). */
  readonly total: string;
  readonly estimated: boolean;
}

export interface DraftErrors {
  price?: string;
  quantity?: string;
  form?: string;
}

export interface DraftCheck {
  readonly errors: DraftErrors;
  readonly preview: OrderPreview | undefined;
}

/** The largest tick or lot count the engine accepts (it counts in safe integers). */
const MAX_STEPS = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * The server's `positiveSteps` (services/orders order-terms.ts): a positive whole number of `step`, or the
 * reason it is not, in words for the form.
 */
export function stepsError(label: string, value: string, step: string, stepName: string): string | undefined {
  if (value === "") return `Enter a ${label.toLowerCase()}`;
  let count: bigint;
  try {
    count = parseSteps(value, step);
  } catch (error) {
    if (!(error instanceof DecimalError)) throw error;
    return error.code === "NOT_A_MULTIPLE"
      ? `${label} must be a multiple of the ${stepName} ${step}`
      : `${label} must be a positive number like 0.015, without sign or exponent`;
  }
  if (count <= 0n) return `${label} must be positive`;
  if (count > MAX_STEPS) return `${label} is too large`;
  return undefined;
}

const higherRate = (a: string, b: string): string => (compareDecimals(a, b) >= 0 ? a : b);

function preview(draft: OrderDraft, rules: MarketRules, price: string, estimated: boolean): OrderPreview {
  const notional = multiplyDecimals(price, draft.quantity);
  const rate =
    draft.type === "market" ? rules.takerFeeRate : higherRate(rules.makerFeeRate, rules.takerFeeRate);
  const maxFee = feeCeiling(notional, rate, rules.quoteScale);
  const total = draft.side === "buy" ? addDecimals(notional, maxFee) : subtractDecimals(notional, maxFee);
  return { notional, maxFee, total, estimated };
}

/**
 * Checks a draft as PlaceOrder would (services/orders `checkOrderTerms`: tick, lot, minimum quantity,
 * minimum notional of a limit order, type and time-in-force combinations) and against the caller's
 * available balance as the hold would need it (`holdFor`: a buy holds notional plus the fee at the higher
 * rate rounded up; a sell holds its quantity). `bestOpposite` (best ask for a buy, best bid for a sell)
 * prices a market order's estimate; without it a market order has no preview.
 */
export function checkDraft(
  draft: OrderDraft,
  rules: MarketRules,
  available: Available | undefined,
  bestOpposite: string | undefined,
): DraftCheck {
  const errors: DraftErrors = {};
  if (rules.halted) errors.form = "This market is halted: it takes no new orders";
  if (draft.type === "market" && (draft.timeInForce === "GTC" || draft.timeInForce === "POST_ONLY")) {
    errors.form = "A market order is IOC or FOK";
  }
  if (draft.type === "limit") {
    const priceError = stepsError("Price", draft.price, rules.tickSize, "tick size");
    if (priceError) errors.price = priceError;
  }
  let quantityError = stepsError("Quantity", draft.quantity, rules.lotSize, "lot size");
  if (!quantityError && compareDecimals(draft.quantity, rules.minQuantity) < 0) {
    quantityError = `Quantity must be at least ${rules.minQuantity} ${rules.base}`;
  }
  if (quantityError) errors.quantity = quantityError;
  if (errors.price || errors.quantity) return { errors, preview: undefined };

  const price = draft.type === "limit" ? draft.price : bestOpposite;
  const estimate = price === undefined ? undefined : preview(draft, rules, price, draft.type === "market");
  if (draft.type === "limit" && estimate && compareDecimals(estimate.notional, rules.minNotional) < 0) {
    errors.form = `Order value ${estimate.notional} ${rules.quote} is below the minimum ${rules.minNotional} ${rules.quote}`;
  }
  if (draft.type === "market" && price === undefined) {
    errors.form ??= `No ${draft.side === "buy" ? "asks" : "bids"} in the book: a market order would not fill`;
  }
  const spends = draft.side === "buy" ? rules.quote : rules.base;
  const needed = draft.side === "buy" ? estimate?.total : draft.quantity;
  const have = available?.get(spends);
  if (available && needed !== undefined && compareDecimals(needed, have ?? "0") > 0) {
    errors.form ??= `Not enough ${spends}: this order needs ${needed}, ${have ?? "0"} is available`;
  }
  return { errors, preview: estimate };
}

/** The PlaceOrder time-in-force and post-only flag of the form's choice. */
export function timeInForceOf(choice: DraftTimeInForce): {
  timeInForce: "GTC" | "IOC" | "FOK";
  postOnly: boolean;
} {
  return choice === "POST_ONLY"
    ? { timeInForce: "GTC", postOnly: true }
    : { timeInForce: choice, postOnly: false };
}

/** Decimal places of a step, for input hints (`step` attribute and placeholder). */
export const stepDigits = (step: string): number => decimalScale(step);
