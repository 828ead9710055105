import { compareDecimals, decimalScale, formatDecimal, parseDecimal } from "./decimal.ts";

/**
 * Decimal strings from the API written for people: thousands grouped, optionally rounded to a fixed number of
 * fraction digits. All of it is string and bigint work, so a figure is never passed through a float.
 */

/** "1234567.5" → "1,234,567.5"; the fraction is left as it is. */
export function groupThousands(decimal: string): string {
  const negative = decimal.startsWith("-");
  const unsigned = negative ? decimal.slice(1) : decimal;
  const [integer = "", fraction] = unsigned.split(".");
  const grouped = integer.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return `${negative ? "-" : ""}${grouped}${fraction === undefined ? "" : `.${fraction}`}`;
}

/** Rounds half to even to `digits` fraction digits, padding with zeros: ("2.345", 2) → "2.34", ("5", 2) → "5.00". */
export function roundDecimal(decimal: string, digits: number): string {
  const scale = decimalScale(decimal);
  const units = parseDecimal(decimal, scale, { allowNegative: true });
  if (scale <= digits) return formatDecimal(units * 10n ** BigInt(digits - scale), digits);
  const divisor = 10n ** BigInt(scale - digits);
  const magnitude = units < 0n ? -units : units;
  let quotient = magnitude / divisor;
  const twiceRemainder = (magnitude % divisor) * 2n;
  if (twiceRemainder > divisor || (twiceRemainder === divisor && quotient % 2n === 1n)) quotient += 1n;
  const rounded = formatDecimal(quotient, digits);
  return units < 0n && quotient !== 0n ? `-${rounded}` : rounded;
}

/** A figure for display: grouped, rounded to `digits` when given, and "—" when the API sent none. */
export function displayDecimal(decimal: string, digits?: number): string {
  if (decimal === "") return "—";
  return groupThousands(digits === undefined ? decimal : roundDecimal(decimal, digits));
}

/** A USD amount: two fraction digits, grouped, e.g. "$32,125.06", and "-$120.50" for a loss. */
export function displayUsd(decimal: string): string {
  if (decimal === "") return "—";
  const text = displayDecimal(decimal, 2);
  return text.startsWith("-") ? `-$${text.slice(1)}` : `$${text}`;
}

/**
 * A USD price of one unit: cents from one dollar up, but every digit below it, since rounding a $0.0000123
 * token to cents would show it as free.
 */
export function displayUsdPrice(decimal: string): string {
  if (decimal === "" || compareDecimals(decimal, "1") >= 0) return displayUsd(decimal);
  return `$${decimal}`;
}

/** A signed change shown with its sign, e.g. "+2.50" or "-1.25"; zero has none. */
export function displaySigned(decimal: string, digits?: number): string {
  if (decimal === "") return "—";
  const text = displayDecimal(decimal, digits);
  return text.startsWith("-") || /^[0.,]+$/.test(text) ? text : `+${text}`;
}
