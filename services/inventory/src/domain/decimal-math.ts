import { decimalScale, formatDecimal, parseDecimal } from "@bourse/common/money";

/**
 * Exact arithmetic on plain decimal strings, for the few rules that compare prices and sizes. Each value is
 * read as integer units at its own scale; nothing goes through floating point.
 */

function unitsAt(value: string, scale: number): bigint {
  return parseDecimal(value, scale, { allowNegative: true });
}

/** -1, 0 or 1 as `a` is below, equal to or above `b`. */
export function compareDecimals(a: string, b: string): number {
  const scale = Math.max(decimalScale(a), decimalScale(b));
  const difference = unitsAt(a, scale) - unitsAt(b, scale);
  return difference < 0n ? -1 : difference > 0n ? 1 : 0;
}

export function multiplyDecimals(a: string, b: string): string {
  const scaleA = decimalScale(a);
  const scaleB = decimalScale(b);
  return formatDecimal(unitsAt(a, scaleA) * unitsAt(b, scaleB), scaleA + scaleB, { trimZeros: true });
}

/** True when the decimal string is above zero. */
export function isPositive(value: string): boolean {
  return compareDecimals(value, "0") > 0;
}
