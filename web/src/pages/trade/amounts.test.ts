import { describe, expect, it } from "vitest";
import {
  addDecimals,
  compareDecimals,
  decimalRatio,
  feeCeiling,
  multiplyDecimals,
  subtractDecimals,
} from "./amounts.ts";

describe("trade amounts", () => {
  it("compares across scales exactly", () => {
    expect(compareDecimals("1.50", "1.5")).toBe(0);
    expect(compareDecimals("0.1", "0.09999999999999999999")).toBe(1);
    expect(compareDecimals("2", "10")).toBe(-1);
  });

  it("adds, subtracts and multiplies without rounding", () => {
    expect(addDecimals("0.1", "0.2")).toBe("0.3");
    expect(subtractDecimals("100.5", "100")).toBe("0.5");
    expect(subtractDecimals("1", "1.25")).toBe("-0.25");
    expect(multiplyDecimals("42000.5", "0.015")).toBe("630.0075");
    expect(multiplyDecimals("99999999999.99", "12345678.12345678")).toBe("1234567812345554543.2187654322");
  });

  it("rounds a fee reserve up at the quote scale, as the orders service holds it", () => {
    expect(feeCeiling("630.0075", "0.002", 8)).toBe("1.260015");
    expect(feeCeiling("0.01", "0.001", 2)).toBe("0.01");
    expect(feeCeiling("100", "0", 2)).toBe("0");
  });

  it("takes a floored ratio in the given parts, 0 over nothing", () => {
    expect(decimalRatio("1", "3", 1000n)).toBe(333n);
    expect(decimalRatio("5", "0", 1000n)).toBe(0n);
  });
});
