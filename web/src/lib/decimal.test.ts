import { describe, expect, it } from "vitest";
import {
  addDecimals,
  compareDecimals,
  DecimalError,
  divideDecimals,
  multiplyDecimals,
  parseDecimal,
  parseSteps,
  subtractDecimals,
} from "./decimal.ts";

describe("web decimal arithmetic", () => {
  it("compares by value, whatever the number of fraction digits", () => {
    expect(compareDecimals("1.50", "1.5")).toBe(0);
    expect(compareDecimals("2", "10")).toBe(-1);
    expect(compareDecimals("10", "9.999999999999999999")).toBe(1);
    expect(compareDecimals("-0.5", "0.1")).toBe(-1);
  });

  it("adds and subtracts exactly where floats would not", () => {
    expect(addDecimals("0.1", "0.2")).toBe("0.3");
    expect(addDecimals("123456789012345678.9", "0.1")).toBe("123456789012345679");
    expect(subtractDecimals("0.3", "0.1")).toBe("0.2");
    expect(subtractDecimals("1", "1.25")).toBe("-0.25");
    expect(subtractDecimals("5.10", "5.1")).toBe("0");
  });

  it("multiplies a price by a quantity without losing a digit", () => {
    expect(multiplyDecimals("64123.45", "0.00012")).toBe("7.694814");
    expect(multiplyDecimals("0.1", "3")).toBe("0.3");
    expect(multiplyDecimals("-2.5", "4")).toBe("-10");
  });

  it("divides rounding towards zero at the scale asked for", () => {
    expect(divideDecimals("1", "3", 4)).toBe("0.3333");
    expect(divideDecimals("2", "3", 2)).toBe("0.66");
    expect(divideDecimals("1.5", "0.5", 2)).toBe("3");
    expect(() => divideDecimals("1", "0", 2)).toThrow(RangeError);
  });

  it("refuses what the server refuses, with the server's error codes", () => {
    expect(() => compareDecimals("1e5", "1")).toThrow(DecimalError);
    expect(() => addDecimals(" 1", "1")).toThrow(DecimalError);
    expect(() => parseDecimal("-1", 2)).toThrow(expect.objectContaining({ code: "NEGATIVE" }));
    expect(() => parseSteps("0.015", "0.01")).toThrow(expect.objectContaining({ code: "NOT_A_MULTIPLE" }));
    expect(parseSteps("0.03", "0.01")).toBe(3n);
  });
});
