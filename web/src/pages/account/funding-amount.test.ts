import { describe, expect, it } from "vitest";
import { parseFundingAmount } from "./funding-amount.ts";

describe("parseFundingAmount", () => {
  it.each([
    ["100", 2, "100"],
    [" 1000.50 ", 2, "1000.50"],
    ["007.5", 2, "7.5"],
    [".5", 8, "0.5"],
    ["0.00000001", 8, "0.00000001"],
  ])("accepts %j at precision %i as %j", (input, precision, amount) => {
    expect(parseFundingAmount(input, precision)).toEqual({ ok: true, amount });
  });

  it.each([
    ["", 2, "Enter an amount."],
    ["abc", 2, "Enter a number, like 100 or 0.5."],
    ["-5", 2, "Enter a number, like 100 or 0.5."],
    ["1e3", 2, "Enter a number, like 100 or 0.5."],
    [".", 2, "Enter a number, like 100 or 0.5."],
    ["1,5", 2, "Enter a number, like 100 or 0.5."],
    ["0", 2, "Enter an amount greater than zero."],
    ["0.00", 2, "Enter an amount greater than zero."],
    ["1.005", 2, "This asset allows at most 2 decimal places."],
    ["1.5", 0, "This asset moves in whole units only."],
  ])("refuses %j at precision %i: %s", (input, precision, message) => {
    expect(parseFundingAmount(input, precision)).toEqual({ ok: false, message });
  });

  it("refuses a withdrawal beyond the available balance, compared exactly", () => {
    expect(parseFundingAmount("10000.01", 2, "10000")).toEqual({
      ok: false,
      message: "That is more than your available balance of 10,000.",
    });
    expect(parseFundingAmount("0.01", 2, "0")).toEqual({
      ok: false,
      message: "You have none of this asset available.",
    });
    expect(parseFundingAmount("10.00", 2, "10")).toEqual({ ok: true, amount: "10.00" });
    expect(parseFundingAmount("9.99", 2, "10")).toEqual({ ok: true, amount: "9.99" });
  });
});
