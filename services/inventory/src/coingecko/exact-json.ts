/**
 * JSON.parse turns every number into a double, which cannot hold most decimal prices exactly. This parser
 * keeps each number as the exact text it had in the document (JSON.parse's reviver receives the source text
 * of primitives, ES2025), so prices go from CoinGecko's bytes to decimal strings without touching floating
 * point.
 */
export function parseJsonExact(text: string): unknown {
  const reviver = (_key: string, value: unknown, context?: { source?: string }) =>
    typeof value === "number" && context?.source !== undefined ? context.source : value;
  return JSON.parse(text, reviver as (key: string, value: unknown) => unknown);
}

/** A JSON number literal: sign, digits, optional fraction, optional exponent. */
const JSON_NUMBER = /^(-?)(0|[1-9][0-9]*)(?:\.([0-9]+))?(?:[eE]([+-]?[0-9]+))?$/;

/** Exponents beyond this are no price; refusing them bounds the strings we build. */
const MAX_EXPONENT = 40;

/**
 * Rewrites a JSON number literal in plain decimal notation, exactly: "1.234e-05" becomes "0.00001234" and
 * "6.5E+3" becomes "6500". Returns undefined when the text is not a JSON number or its exponent is absurd.
 */
export function toPlainDecimal(literal: string): string | undefined {
  const match = JSON_NUMBER.exec(literal);
  if (match === null) return undefined;
  const [, sign = "", integer = "", fraction = "", exponentText = "0"] = match;
  const exponent = Number(exponentText);
  if (Math.abs(exponent) > MAX_EXPONENT) return undefined;
  const digits = integer + fraction;
  // The decimal point sits after `point` digits of `digits`.
  const point = integer.length + exponent;
  const padded = point <= 0 ? "0".repeat(1 - point) + digits : digits.padEnd(point, "0");
  const split = Math.max(point, 1);
  const whole = padded.slice(0, split).replace(/^0+(?=[0-9])/, "");
  const decimals = padded.slice(split).replace(/0+$/, "");
  const plain = decimals === "" ? whole : `${whole}.${decimals}`;
  return plain === "0" ? "0" : `${sign}${plain}`;
}
