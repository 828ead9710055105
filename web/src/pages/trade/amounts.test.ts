import { describe, expect, it } from "vitest";
import { decimalRatio, feeCeiling } from "./amounts.ts";

describe("trade amounts", () => {
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
