import { decimalScale, formatDecimal, parseDecimal } from "@bourse/common/money";

/**
 * An exact rational number, kept reduced with a positive denominator. Average cost divides (cost ÷ quantity,
 * cost × sold ÷ held), and a quotient of decimals is rarely a finite decimal, so portfolio figures stay
 * fractions until they are rounded for output.
 */
export interface Ratio {
  readonly num: bigint;
  readonly den: bigint;
}

const abs = (value: bigint): bigint => (value < 0n ? -value : value);

function gcd(a: bigint, b: bigint): bigint {
  let [x, y] = [abs(a), abs(b)];
  while (y !== 0n) [x, y] = [y, x % y];
  return x;
}

export function ratio(num: bigint, den = 1n): Ratio {
  if (den === 0n) throw new RangeError("a ratio's denominator cannot be 0");
  const sign = den < 0n ? -1n : 1n;
  const divisor = gcd(num, den) || 1n;
  return { num: (sign * num) / divisor, den: (sign * den) / divisor };
}

export const ZERO: Ratio = ratio(0n);
export const ONE: Ratio = ratio(1n);

/** `units` counted in 10^-scale: `fromUnits(15n, 3)` is 0.015. */
export const fromUnits = (units: bigint, scale: number): Ratio => ratio(units, 10n ** BigInt(scale));

/** A plain decimal string, signed or not: `fromDecimal("-1.25")`. */
export function fromDecimal(text: string): Ratio {
  const scale = decimalScale(text);
  return fromUnits(parseDecimal(text, scale, { allowNegative: true }), scale);
}

export const add = (a: Ratio, b: Ratio): Ratio => ratio(a.num * b.den + b.num * a.den, a.den * b.den);
export const sub = (a: Ratio, b: Ratio): Ratio => ratio(a.num * b.den - b.num * a.den, a.den * b.den);
export const mul = (a: Ratio, b: Ratio): Ratio => ratio(a.num * b.num, a.den * b.den);
export const div = (a: Ratio, b: Ratio): Ratio => ratio(a.num * b.den, a.den * b.num);

/** -1, 0 or 1 as `a` is below, equal to or above `b`. */
export function compare(a: Ratio, b: Ratio): number {
  const difference = a.num * b.den - b.num * a.den;
  return difference < 0n ? -1 : difference > 0n ? 1 : 0;
}

export const isZero = (a: Ratio): boolean => a.num === 0n;
export const isPositive = (a: Ratio): boolean => a.num > 0n;

/** The value in 10^-scale units, rounded half to even (banker's rounding): 0.125 at scale 2 is 12 units. */
export function roundHalfEven(a: Ratio, scale: number): bigint {
  const scaled = abs(a.num) * 10n ** BigInt(scale);
  let quotient = scaled / a.den;
  const twiceRemainder = 2n * (scaled - quotient * a.den);
  if (twiceRemainder > a.den || (twiceRemainder === a.den && quotient % 2n === 1n)) quotient += 1n;
  return a.num < 0n ? -quotient : quotient;
}

/** Rounded half-even to `scale` fraction digits, without trailing zeros ("-120.5", "0"). */
export const formatRounded = (a: Ratio, scale: number): string =>
  formatDecimal(roundHalfEven(a, scale), scale, { trimZeros: true });
