import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatSteps, parseSteps } from "./steps.js";

describe("parseSteps", () => {
  it.each([
    ["100.15", "0.05", 2003n],
    ["100", "0.01", 10000n],
    ["0.015", "0.001", 15n],
    ["1500", "500", 3n],
    ["0", "0.1", 0n],
    ["2.50000", "0.5", 5n],
  ])("counts %s in steps of %s", (text, step, expected) => {
    expect(parseSteps(text, step)).toBe(expected);
  });

  it("refuses a value between two steps (tick size and lot size)", () => {
    expect(() => parseSteps("100.03", "0.05")).toThrow(expect.objectContaining({ code: "NOT_A_MULTIPLE" }));
    expect(() => parseSteps("100.001", "0.01")).toThrow(expect.objectContaining({ code: "NOT_A_MULTIPLE" }));
    expect(() => parseSteps("1200", "500")).toThrow(expect.objectContaining({ code: "NOT_A_MULTIPLE" }));
  });

  it("truncates to whole steps when rounding down, as a spending budget must", () => {
    expect(parseSteps("100.03", "0.05", { rounding: "down" })).toBe(2000n);
    expect(parseSteps("0.0000019", "0.000001", { rounding: "down" })).toBe(1n);
  });

  it("refuses negatives and malformed values", () => {
    expect(() => parseSteps("-1", "0.01")).toThrow(expect.objectContaining({ code: "NEGATIVE" }));
    expect(() => parseSteps("1e2", "0.01")).toThrow(expect.objectContaining({ code: "MALFORMED" }));
  });

  it.each(["0", "0.00", "-0.01", "abc", ""])("refuses step %j", (step) => {
    expect(() => parseSteps("1", step)).toThrow(expect.objectContaining({ code: "INVALID_STEP" }));
  });

  it("round-trips with formatSteps", () => {
    const steps = fc.constantFrom("0.01", "0.05", "0.00000001", "1", "25", "0.5");
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 20n }), steps, (count, step) => {
        expect(parseSteps(formatSteps(count, step), step)).toBe(count);
      }),
    );
  });
});

describe("formatSteps", () => {
  it("renders a count of steps as a decimal at the step's scale", () => {
    expect(formatSteps(2003n, "0.05")).toBe("100.15");
    expect(formatSteps(3n, "500")).toBe("1500");
    expect(formatSteps(15n, "0.001")).toBe("0.015");
  });
});
