import { DecimalError } from "./decimal-error.js";

/**
 * Longest accepted decimal string. Bounds the size of the bigints a caller can make us build, and is far
 * beyond any real price or amount.
 */
export const MAX_DECIMAL_LENGTH = 64;

/** Largest scale accepted, so that `10n ** scale` stays cheap and a typo cannot ask for a huge one. */
export const MAX_SCALE = 36;

/**
 * Plain decimal notation only: an optional minus, an integer part without superfluous leading zeros,
 * and an optional fraction with at least one digit. No exponent, no leading '+', no whitespace,
 * no bare '.5' or '5.'.
 */
const DECIMAL_PATTERN = /^(-?)(0|[1-9][0-9]*)(?:\.([0-9]+))?$/;

export interface ParseDecimalOptions {
  /** Accept a leading '-' (balances deltas, P&L). Prices, quantities and amounts are never negative. */
  readonly allowNegative?: boolean;
}

interface DecimalParts {
  readonly negative: boolean;
  readonly integer: string;
  readonly fraction: string;
}

function splitDecimal(text: string): DecimalParts {
  if (text.length === 0) throw new DecimalError("EMPTY", text);
  if (text.length > MAX_DECIMAL_LENGTH) throw new DecimalError("TOO_LONG", text);
  const match = DECIMAL_PATTERN.exec(text);
  if (match === null) throw new DecimalError("MALFORMED", text);
  // Trailing zeros carry no value, so "1.50" is as good as "1.5" at scale 1.
  const fraction = (match[3] ?? "").replace(/0+$/, "");
  return { negative: match[1] === "-", integer: match[2] ?? "0", fraction };
}

function checkScale(scale: number, text: string): void {
  if (!Number.isSafeInteger(scale) || scale < 0 || scale > MAX_SCALE) {
    throw new DecimalError("INVALID_SCALE", text);
  }
}

/**
 * Converts a decimal string to an integer count of `10^-scale` units, exactly: `parseDecimal("0.015", 3)`
 * is `15n`. Digits beyond `scale` are refused unless they are trailing zeros; nothing is ever rounded.
 * Throws {@link DecimalError}.
 */
export function parseDecimal(text: string, scale: number, options: ParseDecimalOptions = {}): bigint {
  checkScale(scale, text);
  const { negative, integer, fraction } = splitDecimal(text);
  if (negative && !options.allowNegative) throw new DecimalError("NEGATIVE", text);
  if (fraction.length > scale) throw new DecimalError("TOO_MANY_DECIMALS", text);
  const units = BigInt(integer + fraction.padEnd(scale, "0"));
  return negative ? -units : units;
}

/** The smallest scale at which `text` is exact: `decimalScale("0.010")` is 2, `decimalScale("5")` is 0. */
export function decimalScale(text: string): number {
  const { fraction } = splitDecimal(text);
  return fraction.length;
}

export interface FormatDecimalOptions {
  /** Drop trailing fractional zeros ("1.5" rather than "1.500"). By default exactly `scale` digits follow the point. */
  readonly trimZeros?: boolean;
}

/** The inverse of {@link parseDecimal}: `formatDecimal(15n, 3)` is `"0.015"`. */
export function formatDecimal(units: bigint, scale: number, options: FormatDecimalOptions = {}): string {
  checkScale(scale, String(units));
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString().padStart(scale + 1, "0");
  const integer = digits.slice(0, digits.length - scale);
  let fraction = digits.slice(digits.length - scale);
  if (options.trimZeros) fraction = fraction.replace(/0+$/, "");
  const sign = negative ? "-" : "";
  return fraction.length > 0 ? `${sign}${integer}.${fraction}` : `${sign}${integer}`;
}
