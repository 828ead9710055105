import { decimalScale, formatDecimal, parseDecimal } from "../../lib/decimal.ts";

/**
 * The exact arithmetic the trade page needs on the API's decimal strings, in bigint units at a common scale:
 * nothing here ever becomes a float.
 */

function unitsOf(a: string, b: string): { a: bigint; b: bigint; scale: number } {
  const scale = Math.max(decimalScale(a), decimalScale(b));
  return {
    a: parseDecimal(a, scale, { allowNegative: true }),
    b: parseDecimal(b, scale, { allowNegative: true }),
    scale,
  };
}

/** -1, 0 or 1 as `a` is below, equal to or above `b`: "1.50" equals "1.5". */
export function compareDecimals(a: string, b: string): number {
  const units = unitsOf(a, b);
  return units.a < units.b ? -1 : units.a > units.b ? 1 : 0;
}

export function addDecimals(a: string, b: string): string {
  const units = unitsOf(a, b);
  return formatDecimal(units.a + units.b, units.scale, { trimZeros: true });
}

export function subtractDecimals(a: string, b: string): string {
  const units = unitsOf(a, b);
  return formatDecimal(units.a - units.b, units.scale, { trimZeros: true });
}

/** The exact product: its scale is the sum of the factors' scales. */
export function multiplyDecimals(a: string, b: string): string {
  const scaleA = decimalScale(a);
  const scaleB = decimalScale(b);
  const product =
    parseDecimal(a, scaleA, { allowNegative: true }) * parseDecimal(b, scaleB, { allowNegative: true });
  return formatDecimal(product, scaleA + scaleB, { trimZeros: true });
}

/** floor(part ÷ whole × `parts`): e.g. thousandths for a depth bar. 0 when whole is 0. */
export function decimalRatio(part: string, whole: string, parts: bigint): bigint {
  const units = unitsOf(part, whole);
  if (units.b === 0n) return 0n;
  return (units.a * parts) / units.b;
}

/**
 * The most fee an amount can be charged at `rate`, in the quote asset's `scale`: ceil(amount × rate), as the
 * orders service reserves it (`feeReserveOf`), so the preview never promises less than the hold.
 */
export function feeCeiling(amount: string, rate: string, scale: number): string {
  const rateScale = decimalScale(rate);
  const exact = parseDecimal(amount, scale) * parseDecimal(rate, rateScale);
  const denominator = 10n ** BigInt(rateScale);
  return formatDecimal((exact + denominator - 1n) / denominator, scale, { trimZeros: true });
}
