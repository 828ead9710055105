import { describe, expect, it } from "vitest";
import { amountPattern } from "./amount-pattern.js";

describe("amountPattern", () => {
  it("matches the decimal with separators and trailing zeros", () => {
    for (const shown of ["30000", "30,000", "30,000.00", "price 30000.0 USD"]) {
      expect(shown).toMatch(amountPattern("30000"));
    }
    expect("0.00034000 BTC").toMatch(amountPattern("0.00034"));
    expect("1,234,567.5").toMatch(amountPattern("1234567.50"));
  });

  it("never matches inside a longer number", () => {
    for (const shown of ["130,000", "30,000.5", "300000", "30000.01"]) {
      expect(shown).not.toMatch(amountPattern("30000"));
    }
    for (const shown of ["0.000345", "10.00034", "0.0003"]) {
      expect(shown).not.toMatch(amountPattern("0.00034"));
    }
  });
});
