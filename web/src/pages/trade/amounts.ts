import { decimalScale, formatDecimal, parseDecimal } from "../../lib/decimal.ts";

/** Trade-page arithmetic beyond lib/decimal: exact, in bigint units, never through a float. */

/** floor(part ÷ whole × `parts`): e.g. thousandths for a depth bar. 0 when whole is 0. */
export function decimalRatio(part: string, whole: string, parts: bigint): bigint {
  const scale = Math.max(decimalScale(part), decimalScale(whole));
  const wholeUnits = parseDecimal(whole, scale);
  if (wholeUnits === 0n) return 0n;
  return (parseDecimal(part, scale, { allowNegative: true }) * parts) / wholeUnits;
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
