import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decimalScale, formatDecimal, parseDecimal } from "./decimal.js";
import { DecimalError, type DecimalErrorCode } from "./decimal-error.js";

function codeOf(action: () => unknown): DecimalErrorCode | undefined {
  try {
    action();
  } catch (error) {
    if (error instanceof DecimalError) return error.code;
    throw error;
  }
  return undefined;
}

describe("parseDecimal", () => {
  it.each([
    ["0.015", 3, 15n],
    ["0.015", 8, 1_500_000n],
    ["12", 0, 12n],
    ["12", 2, 1200n],
    ["0", 4, 0n],
    ["1.50", 1, 15n],
    ["1.000000", 0, 1n],
    ["123456789012345678901234567890.5", 1, 1234567890123456789012345678905n],
  ])("parses %s at scale %i", (text, scale, expected) => {
    expect(parseDecimal(text, scale)).toBe(expected);
  });

  it.each<[string, DecimalErrorCode]>([
    ["", "EMPTY"],
    ["1e5", "MALFORMED"],
    ["1E-2", "MALFORMED"],
    ["+1", "MALFORMED"],
    [" 1", "MALFORMED"],
    ["1 ", "MALFORMED"],
    [".5", "MALFORMED"],
    ["5.", "MALFORMED"],
    ["01", "MALFORMED"],
    ["00.5", "MALFORMED"],
    ["1,5", "MALFORMED"],
    ["abc", "MALFORMED"],
    ["NaN", "MALFORMED"],
    ["Infinity", "MALFORMED"],
    ["0x10", "MALFORMED"],
    ["1.2.3", "MALFORMED"],
    ["--1", "MALFORMED"],
    ["-1", "NEGATIVE"],
    ["-0.5", "NEGATIVE"],
    ["0.0151", "TOO_MANY_DECIMALS"],
    ["1".repeat(65), "TOO_LONG"],
  ])("refuses %j with %s", (text, code) => {
    expect(codeOf(() => parseDecimal(text, 3))).toBe(code);
  });

  it("accepts a negative value only when asked", () => {
    expect(parseDecimal("-1.25", 2, { allowNegative: true })).toBe(-125n);
    expect(parseDecimal("-0", 2, { allowNegative: true })).toBe(0n);
  });

  it.each([-1, 1.5, 37, Number.NaN])("refuses scale %d", (scale) => {
    expect(codeOf(() => parseDecimal("1", scale))).toBe("INVALID_SCALE");
  });

  it("carries the input on the error", () => {
    expect(() => parseDecimal("1e5", 2)).toThrow(
      expect.objectContaining({ input: "1e5", code: "MALFORMED" }),
    );
  });
});

describe("formatDecimal", () => {
  it.each([
    [15n, 3, "0.015"],
    [1_500_000n, 8, "0.01500000"],
    [1200n, 2, "12.00"],
    [12n, 0, "12"],
    [0n, 2, "0.00"],
    [-125n, 2, "-1.25"],
    [-5n, 3, "-0.005"],
  ])("formats %s at scale %i", (units, scale, expected) => {
    expect(formatDecimal(units, scale)).toBe(expected);
  });

  it("trims trailing zeros when asked", () => {
    expect(formatDecimal(1500n, 3, { trimZeros: true })).toBe("1.5");
    expect(formatDecimal(2000n, 3, { trimZeros: true })).toBe("2");
    expect(formatDecimal(0n, 3, { trimZeros: true })).toBe("0");
  });

  it("round-trips with parseDecimal for any value and scale", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }), fc.nat({ max: 18 }), (units, scale) => {
        const text = formatDecimal(units, scale);
        expect(parseDecimal(text, scale, { allowNegative: true })).toBe(units);
        expect(
          parseDecimal(formatDecimal(units, scale, { trimZeros: true }), scale, { allowNegative: true }),
        ).toBe(units);
      }),
    );
  });
});

describe("decimalScale", () => {
  it.each([
    ["0.01", 2],
    ["0.010", 2],
    ["5", 0],
    ["5.0", 0],
    ["0.00000001", 8],
  ])("%s needs scale %i", (text, scale) => {
    expect(decimalScale(text)).toBe(scale);
  });

  it("refuses malformed input", () => {
    expect(codeOf(() => decimalScale("1e-8"))).toBe("MALFORMED");
  });
});
