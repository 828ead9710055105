import { StoreValidationError } from "./errors.js";

/**
 * DynamoDB numbers are decimals with up to 38 significant digits and a magnitude between 1e-130 and
 * 1e126. Both adapters hold them as `coefficient × 10^exponent` to check those limits and to add exactly.
 */
interface Decimal {
  readonly coefficient: bigint;
  readonly exponent: number;
}

const MAX_PRECISION = 38;
const MAX_MAGNITUDE = 125;
const MIN_MAGNITUDE = -130;
const MAX_NUMBER_BYTES = 21;
const DECIMAL_TEXT = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

function parseDecimal(text: string): Decimal {
  const match = DECIMAL_TEXT.exec(text);
  const [, sign = "", whole = "", fraction = "", exponent = "0"] = match ?? [];
  if (!match || whole + fraction === "") throw new StoreValidationError(`"${text}" is not a number`);
  return trimmed(BigInt(`${sign}${whole}${fraction}`), Number(exponent) - fraction.length);
}

function trimmed(coefficient: bigint, exponent: number): Decimal {
  if (coefficient === 0n) return { coefficient, exponent: 0 };
  let c = coefficient;
  let e = exponent;
  while (c % 10n === 0n) {
    c /= 10n;
    e += 1;
  }
  return { coefficient: c, exponent: e };
}

function checkLimits({ coefficient, exponent }: Decimal): void {
  if (coefficient === 0n) return;
  const digits = (coefficient < 0n ? -coefficient : coefficient).toString().length;
  if (digits > MAX_PRECISION) {
    throw new StoreValidationError(`numbers are limited to ${MAX_PRECISION} significant digits`);
  }
  const magnitude = digits - 1 + exponent;
  if (magnitude > MAX_MAGNITUDE) throw new StoreValidationError("number overflow: magnitude above 1e125");
  if (magnitude < MIN_MAGNITUDE) throw new StoreValidationError("number underflow: magnitude below 1e-130");
}

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** The read rule for an integer. */
const integerValue = (integer: bigint): number | bigint =>
  integer <= MAX_SAFE && integer >= -MAX_SAFE ? Number(integer) : integer;

/** The read rule: integers outside the safe range become bigint, every other number a JS number. */
function toValue({ coefficient, exponent }: Decimal): number | bigint {
  if (exponent < 0) return Number(`${coefficient}e${exponent}`);
  return integerValue(coefficient * 10n ** BigInt(exponent));
}

/** Parses a number as DynamoDB returns it (`N`), applying the read rule. */
export function numberFromText(text: string): number | bigint {
  return toValue(parseDecimal(text));
}

/**
 * Checks a number against DynamoDB's limits and gives it the form reads would return. A JS number
 * beyond the safe integer range has already lost precision, so it is refused: use bigint.
 */
export function normalizeNumber(value: number | bigint): number | bigint {
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new StoreValidationError(`${value} cannot be stored`);
    if (Number.isInteger(value) && !Number.isSafeInteger(value)) {
      throw new StoreValidationError(`${value} is beyond Number.MAX_SAFE_INTEGER: use a bigint`);
    }
    // The common case, without parsing: a safe integer is within every limit and already read back as
    // itself (but -0 as 0).
    if (Number.isInteger(value)) return value === 0 ? 0 : value;
  } else if (value > -MAX_INTEGER_SUM && value < MAX_INTEGER_SUM) {
    // Amounts and counters: a bigint of at most 38 digits is within every limit, read back by the read rule.
    return integerValue(value);
  }
  const decimal = parseDecimal(String(value));
  checkLimits(decimal);
  return toValue(decimal);
}

/**
 * The bytes a (normalized) number takes in an item, as DynamoDB counts them: one byte of exponent and
 * one per pair of digits aligned on the decimal point (so 1.5 takes two pairs, 15 one), one more for a
 * negative sign, at most 21 in all. Zero takes one byte.
 */
export function numberByteSize(value: number | bigint): number {
  if (typeof value === "bigint" || Number.isSafeInteger(value)) return integerByteSize(value);
  const { coefficient, exponent } = parseDecimal(String(value));
  if (coefficient === 0n) return 1;
  const digits = (coefficient < 0n ? -coefficient : coefficient).toString().length;
  return decimalByteSize(digits, exponent, coefficient < 0n);
}

/** numberByteSize of an integer, read off its decimal digits without parsing (most stored numbers). */
function integerByteSize(value: number | bigint): number {
  const text = String(value);
  const start = text.startsWith("-") ? 1 : 0;
  let end = text.length;
  while (end > start && text.charCodeAt(end - 1) === ZERO) end -= 1;
  if (end === start) return 1;
  return decimalByteSize(end - start, text.length - end, start === 1);
}

const ZERO = "0".charCodeAt(0);

/** The bytes of a non-zero `coefficient × 10^exponent` whose coefficient has `digits` digits. */
function decimalByteSize(digits: number, exponent: number, negative: boolean): number {
  const pairs = Math.floor((exponent + digits - 1) / 2) - Math.floor(exponent / 2) + 1;
  return Math.min(MAX_NUMBER_BYTES, 1 + pairs + (negative ? 1 : 0));
}

/** Integers below this in magnitude have at most 38 digits, so are within every limit. */
const MAX_INTEGER_SUM = 10n ** BigInt(MAX_PRECISION);

const isInteger = (value: number | bigint): boolean =>
  typeof value === "bigint" || Number.isSafeInteger(value);

/** Adds two numbers exactly, in decimal, as DynamoDB's ADD does. */
export function addNumbers(a: number | bigint, b: number | bigint): number | bigint {
  if (isInteger(a) && isInteger(b)) {
    // Counters and balances: integers, added exactly without parsing. A longer sum may still be within
    // the limits (trailing zeros), which the general path decides.
    const sum = BigInt(a) + BigInt(b);
    if (sum > -MAX_INTEGER_SUM && sum < MAX_INTEGER_SUM) return integerValue(sum);
  }
  const x = parseDecimal(String(a));
  const y = parseDecimal(String(b));
  const exponent = Math.min(x.exponent, y.exponent);
  const scale = (d: Decimal) => d.coefficient * 10n ** BigInt(d.exponent - exponent);
  const sum = trimmed(scale(x) + scale(y), exponent);
  checkLimits(sum);
  return toValue(sum);
}

/** Reads a stored integer (money, quantities, counters) as a bigint, whichever form it came back in. */
export function toBigInt(value: unknown): bigint {
  if (typeof value === "bigint") return value;
  if (typeof value === "number" && Number.isInteger(value)) return BigInt(value);
  throw new TypeError(`expected an integer, got ${typeof value === "number" ? value : typeof value}`);
}
