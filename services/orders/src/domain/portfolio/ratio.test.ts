import { describe, expect, it } from "vitest";
import { div, formatRounded, fromDecimal, fromUnits, ratio, roundHalfEven, sub } from "./ratio.js";

describe("ratio", () => {
  it("keeps fractions reduced with a positive denominator", () => {
    expect(ratio(6n, -4n)).toEqual({ num: -3n, den: 2n });
    expect(fromUnits(1500n, 4)).toEqual({ num: 3n, den: 20n });
    expect(fromDecimal("-1.25")).toEqual({ num: -5n, den: 4n });
    expect(ratio(0n, 7n)).toEqual({ num: 0n, den: 1n });
  });

  it("is exact where decimals are not: 10 / 3 × 3 is 10", () => {
    const third = div(fromDecimal("10"), fromDecimal("3"));
    expect(formatRounded(third, 8)).toBe("3.33333333");
    expect(sub(fromDecimal("10"), { num: third.num * 3n, den: third.den })).toEqual(ratio(0n));
  });

  it.each([
    ["0.125", 2, 12n],
    ["0.135", 2, 14n],
    ["0.1251", 2, 13n],
    ["-0.125", 2, -12n],
    ["-0.135", 2, -14n],
    ["2.5", 0, 2n],
    ["3.5", 0, 4n],
    ["-0.004", 2, 0n],
  ])("rounds %s half-even at scale %i to %i units", (text, scale, units) => {
    expect(roundHalfEven(fromDecimal(text), scale)).toBe(units);
  });

  it("formats without trailing zeros and never as -0", () => {
    expect(formatRounded(fromDecimal("-120.50"), 8)).toBe("-120.5");
    expect(formatRounded(fromDecimal("-0.000000001"), 8)).toBe("0");
    expect(formatRounded(fromDecimal("41551.5"), 8)).toBe("41551.5");
  });
});
