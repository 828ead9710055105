/**
 * Exact decimal arithmetic on the API's decimal strings, with bigint fixed-point: a price or an amount is never
 * turned into a float. Parsing, formatting and step counting are the services' own money module (pure, no Node
 * imports, so Vite bundles it), so the app refuses exactly what the server refuses.
 */
import { decimalScale, formatDecimal, parseDecimal } from "@bourse/common/money";

export type { DecimalErrorCode } from "@bourse/common/money";
export {
  DecimalError,
  decimalScale,
  formatDecimal,
  formatSteps,
  parseDecimal,
  parseSteps,
} from "@bourse/common/money";

/** Both values as units of one common scale, the finer of the two. */
function aligned(a: string, b: string): { a: bigint; b: bigint; scale: number } {
  const scale = Math.max(decimalScale(a), decimalScale(b));
  return {
    a: parseDecimal(a, scale, { allowNegative: true }),
    b: parseDecimal(b, scale, { allowNegative: true }),
    scale,
  };
}

/** -1, 0 or 1 as a is less than, equal to or greater than b: `compareDecimals("1.50", "1.5")` is 0. */
export function compareDecimals(a: string, b: string): -1 | 0 | 1 {
  const units = aligned(a, b);
  return units.a < units.b ? -1 : units.a > units.b ? 1 : 0;
}

/** a + b, exactly, without trailing zeros: `addDecimals("0.1", "0.2")` is "0.3". */
export function addDecimals(a: string, b: string): string {
  const units = aligned(a, b);
  return formatDecimal(units.a + units.b, units.scale, { trimZeros: true });
}

/** a - b, exactly, without trailing zeros; negative when b is larger. */
export function subtractDecimals(a: string, b: string): string {
  const units = aligned(a, b);
  return formatDecimal(units.a - units.b, units.scale, { trimZeros: true });
}

/** a × b, exactly (the scale is the sum of both), without trailing zeros: a price times a quantity. */
export function multiplyDecimals(a: string, b: string): string {
  const scaleA = decimalScale(a);
  const scaleB = decimalScale(b);
  const product =
    parseDecimal(a, scaleA, { allowNegative: true }) * parseDecimal(b, scaleB, { allowNegative: true });
  return formatDecimal(product, scaleA + scaleB, { trimZeros: true });
}

/**
 * a ÷ b rounded down (towards zero) to `scale` fraction digits, e.g. a share of a total for a depth bar or an
 * allocation. Throws a RangeError when b is zero.
 */
export function divideDecimals(a: string, b: string, scale: number): string {
  const units = aligned(a, b);
  if (units.b === 0n) throw new RangeError("division by zero");
  return formatDecimal((units.a * 10n ** BigInt(scale)) / units.b, scale, { trimZeros: true });
}
