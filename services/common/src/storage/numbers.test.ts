import { describe, expect, it } from "vitest";
import { StoreValidationError } from "./errors.js";
import { addNumbers, normalizeNumber, numberByteSize, numberFromText, toBigInt } from "./numbers.js";

describe("numbers", () => {
  it("reads integers beyond the safe range as bigint and everything else as number", () => {
    expect(numberFromText("9007199254740991")).toBe(Number.MAX_SAFE_INTEGER);
    expect(numberFromText("9007199254740992")).toBe(2n ** 53n);
    expect(numberFromText("-9007199254740992")).toBe(-(2n ** 53n));
    expect(numberFromText("1E+40")).toBe(10n ** 40n);
    expect(numberFromText("1.50")).toBe(1.5);
    expect(numberFromText("0.0000001")).toBe(1e-7);
    expect(numberFromText("-0")).toBe(0);
  });

  it("normalizes to the form reads return and enforces DynamoDB's limits", () => {
    expect(normalizeNumber(42n)).toBe(42);
    expect(normalizeNumber(2n ** 64n)).toBe(2n ** 64n);
    expect(normalizeNumber(10n ** 125n)).toBe(10n ** 125n);
    expect(normalizeNumber(1e-130)).toBe(1e-130);
    for (const bad of [10n ** 126n, 1e-131, 10n ** 38n + 1n, 2 ** 53, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => normalizeNumber(bad)).toThrow(StoreValidationError);
    }
  });

  it("normalizes bigints of up to 38 digits by the read rule, and longer ones by their significant digits", () => {
    expect(normalizeNumber(10n ** 38n - 1n)).toBe(10n ** 38n - 1n);
    expect(normalizeNumber(-(10n ** 38n - 1n))).toBe(-(10n ** 38n - 1n));
    expect(normalizeNumber(-(2n ** 53n - 1n))).toBe(-Number.MAX_SAFE_INTEGER);
    expect(normalizeNumber(-(2n ** 53n))).toBe(-(2n ** 53n));
    expect(Object.is(normalizeNumber(0n), 0)).toBe(true);
    expect(normalizeNumber(10n ** 38n)).toBe(10n ** 38n);
    expect(() => normalizeNumber(-(10n ** 38n) - 1n)).toThrow(StoreValidationError);
  });

  it("adds exactly in decimal", () => {
    expect(addNumbers(0.1, 0.2)).toBe(0.3);
    expect(addNumbers(2n ** 53n, -1)).toBe(Number.MAX_SAFE_INTEGER);
    expect(addNumbers(5n, 2.5)).toBe(7.5);
    expect(addNumbers(10n ** 37n * 9n, 10n ** 37n)).toBe(10n ** 38n);
    expect(() => addNumbers(10n ** 37n, 1.5)).toThrow(StoreValidationError);
  });

  it("adds integers to the form reads return, and leaves long sums to the limits", () => {
    expect(addNumbers(Number.MAX_SAFE_INTEGER, 1)).toBe(2n ** 53n);
    expect(addNumbers(-Number.MAX_SAFE_INTEGER, -1)).toBe(-(2n ** 53n));
    expect(addNumbers(2n ** 53n, 1n)).toBe(2n ** 53n + 1n);
    expect(addNumbers(7n, -2)).toBe(5);
    expect(Object.is(addNumbers(-5, 5), 0)).toBe(true);
    expect(addNumbers(10n ** 38n - 1n, 1)).toBe(10n ** 38n);
    expect(() => addNumbers(10n ** 38n, 1)).toThrow(StoreValidationError);
    expect(Object.is(normalizeNumber(-0), 0)).toBe(true);
    expect(normalizeNumber(-42)).toBe(-42);
  });

  it("sizes numbers as DynamoDB does: digit pairs aligned on the decimal point, a byte of exponent and sign", () => {
    const sizes: Array<[number | bigint, number]> = [
      [0, 1],
      [0n, 1],
      [1, 2],
      [15, 2],
      [100, 2],
      [1000, 2],
      [123, 3],
      [-1, 3],
      [-1200, 3],
      [12_345_678_901_234, 8],
      [10n ** 37n * 9n, 2],
      [2n ** 64n, 11],
      [-(2n ** 64n), 12],
      [10n ** 38n - 1n, 20],
      [-(10n ** 38n - 1n), 21],
      [1.5, 3],
      [0.05, 2],
      [-12.345, 5],
    ];
    for (const [value, bytes] of sizes) expect([value, numberByteSize(value)]).toEqual([value, bytes]);
  });

  it("reads stored integers as bigint", () => {
    expect(toBigInt(5)).toBe(5n);
    expect(toBigInt(2n ** 60n)).toBe(2n ** 60n);
    expect(() => toBigInt(1.5)).toThrow(TypeError);
    expect(() => toBigInt("5")).toThrow(TypeError);
    expect(() => toBigInt(undefined)).toThrow(TypeError);
  });
});
