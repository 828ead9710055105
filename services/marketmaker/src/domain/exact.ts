import { decimalScale, parseDecimal } from "@bourse/common/money";

/** Small exact helpers over `@bourse/common/money`: decimal strings become bigint units, never floats. */

/** `text` as units of 10^-scale; `scale` must be at least the digits `text` has. */
export const unitsAt = (text: string, scale: number): bigint => parseDecimal(text, scale);

/** The finest scale among decimal strings: every one of them is exact at it. */
export const commonScale = (...texts: string[]): number => Math.max(...texts.map(decimalScale));

export const ceilDiv = (numerator: bigint, denominator: bigint): bigint =>
  (numerator + denominator - 1n) / denominator;

/** The largest of some bigints (Math.max takes numbers only). */
export function maxOf(first: bigint, ...rest: bigint[]): bigint {
  let largest = first;
  for (const value of rest) if (value > largest) largest = value;
  return largest;
}

export const pow10 = (exponent: number): bigint => 10n ** BigInt(exponent);

/** Basis points in one whole: a bps figure b is the fraction b / 10 000. */
export const BPS = 10_000n;
