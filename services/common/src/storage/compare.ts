import type { Value } from "./model.js";

/**
 * Orders strings by their UTF-8 bytes, as DynamoDB does. That is code point order, which differs from
 * JavaScript's UTF-16 order only where a surrogate pair meets a character in U+E000..U+FFFF.
 */
export function compareStrings(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return codePointRank(x) - codePointRank(y);
  }
  return a.length - b.length;
}

/** Moves surrogates (code points above U+FFFF) after U+E000..U+FFFF, keeping every other order. */
function codePointRank(unit: number): number {
  if (unit >= 0xd800 && unit <= 0xdfff) return unit + 0x2000;
  if (unit >= 0xe000) return unit - 0x800;
  return unit;
}

export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const difference = (a[i] ?? 0) - (b[i] ?? 0);
    if (difference !== 0) return difference;
  }
  return a.length - b.length;
}

const isNumber = (value: unknown): value is number | bigint =>
  typeof value === "number" || typeof value === "bigint";

/** Orders two values of the same orderable type; `undefined` when they cannot be compared. */
export function compareValues(a: Value | undefined, b: Value): number | undefined {
  if (typeof a === "string" && typeof b === "string") return compareStrings(a, b);
  if (isNumber(a) && isNumber(b)) return a < b ? -1 : a > b ? 1 : 0;
  if (a instanceof Uint8Array && b instanceof Uint8Array) return compareBytes(a, b);
  return undefined;
}

/** Deep equality of attribute values: numbers numerically, lists in order, maps by their entries. */
export function valuesEqual(a: Value | undefined, b: Value | undefined): boolean {
  if (a === undefined || b === undefined) return false;
  if (a === null || b === null) return a === b;
  if (isNumber(a) && isNumber(b)) return compareValues(a, b) === 0;
  if (a instanceof Uint8Array || b instanceof Uint8Array) {
    return a instanceof Uint8Array && b instanceof Uint8Array && compareBytes(a, b) === 0;
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    return (
      Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => valuesEqual(x, b[i]))
    );
  }
  if (typeof a === "object" && typeof b === "object") {
    const names = Object.keys(a);
    return names.length === Object.keys(b).length && names.every((name) => valuesEqual(a[name], b[name]));
  }
  return a === b;
}
