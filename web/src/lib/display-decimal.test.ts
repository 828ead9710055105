import { describe, expect, it } from "vitest";
import {
  displayDecimal,
  displaySigned,
  displayUsd,
  displayUsdPrice,
  groupThousands,
  roundDecimal,
} from "./display-decimal.ts";

describe("groupThousands", () => {
  it.each([
    ["0", "0"],
    ["999", "999"],
    ["1000", "1,000"],
    ["1234567.891234", "1,234,567.891234"],
    ["-1234.5", "-1,234.5"],
  ])("groups %j as %j", (input, output) => {
    expect(groupThousands(input)).toBe(output);
  });
});

describe("roundDecimal", () => {
  it.each([
    ["2.345", 2, "2.34"],
    ["2.355", 2, "2.36"],
    ["2.3451", 2, "2.35"],
    ["5", 2, "5.00"],
    ["-2.345", 2, "-2.34"],
    ["-0.001", 2, "0.00"],
    ["0.995", 2, "1.00"],
    ["123456789012345678901.125", 2, "123456789012345678901.12"],
  ])("rounds %j to %i digits as %j", (input, digits, output) => {
    expect(roundDecimal(input, digits)).toBe(output);
  });
});

describe("display", () => {
  it("marks a missing figure", () => {
    expect(displayDecimal("")).toBe("—");
    expect(displayUsd("")).toBe("—");
    expect(displaySigned("", 2)).toBe("—");
  });

  it("writes USD with the sign before the dollar", () => {
    expect(displayUsd("32125.0612")).toBe("$32,125.06");
    expect(displayUsd("-120.5")).toBe("-$120.50");
  });

  it("keeps every digit of a price below one dollar, and cents above", () => {
    expect(displayUsdPrice("0.0000123")).toBe("$0.0000123");
    expect(displayUsdPrice("1")).toBe("$1.00");
    expect(displayUsdPrice("107660.915")).toBe("$107,660.92");
    expect(displayUsdPrice("")).toBe("—");
  });

  it("shows the sign of a change", () => {
    expect(displaySigned("2.5", 2)).toBe("+2.50");
    expect(displaySigned("-1.25", 2)).toBe("-1.25");
    expect(displaySigned("0", 2)).toBe("0.00");
  });
});
