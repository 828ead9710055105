import { describe, expect, it } from "vitest";
import { amendError } from "./amend-draft.ts";
import type { MarketRules } from "./order-draft.ts";

const rules: MarketRules = {
  base: "BTC",
  quote: "USD",
  tickSize: "0.5",
  lotSize: "0.01",
  minQuantity: "0.01",
  minNotional: "1",
  makerFeeRate: "0",
  takerFeeRate: "0",
  quoteScale: 2,
  halted: false,
};
const order = { quantity: "1", filledQuantity: "0.25" };

describe("amendError", () => {
  it("accepts a new price on the tick, a smaller total above the filled part, or both", () => {
    expect(amendError({ price: "100.5", quantity: "" }, order, rules)).toBeUndefined();
    expect(amendError({ price: "", quantity: "0.26" }, order, rules)).toBeUndefined();
    expect(amendError({ price: "99", quantity: "1" }, order, rules)).toBeUndefined();
  });

  it("refuses what the server refuses", () => {
    expect(amendError({ price: "", quantity: "" }, order, rules)).toMatch(/Enter a new price/);
    expect(amendError({ price: "100.25", quantity: "" }, order, rules)).toBe(
      "Price must be a multiple of the tick size 0.5",
    );
    expect(amendError({ price: "", quantity: "0.255" }, order, rules)).toBe(
      "Quantity must be a multiple of the lot size 0.01",
    );
    expect(amendError({ price: "", quantity: "1.01" }, order, rules)).toMatch(/cannot grow above 1/);
    expect(amendError({ price: "", quantity: "0.25" }, order, rules)).toMatch(
      /above what already filled, 0.25/,
    );
  });
});
