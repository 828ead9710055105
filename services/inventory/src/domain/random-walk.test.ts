import { describe, expect, it } from "vitest";
import { compareDecimals } from "./decimal-math.js";
import { RandomWalk } from "./random-walk.js";

const parameters = { stepPpm: 2_000, reversion: 200 };

function prices(anchor: string, seed: number, steps: number, options = parameters): string[] {
  const walk = new RandomWalk(anchor, seed, options);
  return Array.from({ length: steps }, () => {
    walk.step();
    return walk.price();
  });
}

describe("RandomWalk", () => {
  it("gives the same prices for the same seed, and others for another seed", () => {
    expect(prices("64250.12", 42, 50)).toEqual(prices("64250.12", 42, 50));
    expect(prices("64250.12", 42, 50)).not.toEqual(prices("64250.12", 43, 50));
  });

  it("starts at the anchor and moves by at most the step size each step", () => {
    const walk = new RandomWalk("100", 7, parameters);
    expect(walk.price()).toBe("100");
    let previous = "100";
    for (let step = 0; step < 200; step++) {
      walk.step();
      const price = walk.price();
      // 0.2% of at most 200 (twice the anchor) is 0.4, plus the pull toward the anchor.
      const move = compareDecimals(price, previous) >= 0 ? [previous, price] : [price, previous];
      expect(compareDecimals(move[1] ?? "", `${Number(move[0]) + 1}`)).toBeLessThan(0);
      previous = price;
    }
  });

  it("stays within half and twice its anchor even with wild steps", () => {
    for (const price of prices("2486.31", 1, 2_000, { stepPpm: 100_000, reversion: 1_000_000 })) {
      expect(compareDecimals(price, "1243.155")).toBeGreaterThanOrEqual(0);
      expect(compareDecimals(price, "4972.62")).toBeLessThanOrEqual(0);
    }
  });

  it("keeps tiny prices exact, with the anchor's significant digits or at least six", () => {
    for (const price of prices("0.00001162", 3, 20)) {
      expect(price).toMatch(/^0\.0000[0-9]{1,6}$/);
    }
    for (const price of prices("107150.42", 3, 20)) {
      expect(price.replace(".", "").length).toBeLessThanOrEqual(8);
    }
  });
});
