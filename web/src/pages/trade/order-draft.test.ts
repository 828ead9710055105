import { describe, expect, it } from "vitest";
import { checkDraft, type MarketRules, type OrderDraft, timeInForceOf } from "./order-draft.ts";

const rules: MarketRules = {
  base: "BTC",
  quote: "USD",
  tickSize: "0.01",
  lotSize: "0.0001",
  minQuantity: "0.001",
  minNotional: "10",
  makerFeeRate: "0.001",
  takerFeeRate: "0.002",
  quoteScale: 8,
  halted: false,
};

const limitBuy: OrderDraft = {
  side: "buy",
  type: "limit",
  timeInForce: "GTC",
  price: "42000.5",
  quantity: "0.015",
};
const rich = new Map([
  ["USD", "1000000"],
  ["BTC", "10"],
]);

describe("checkDraft", () => {
  it("previews a limit buy: notional, the fee at the higher rate rounded up, and the hold", () => {
    expect(checkDraft(limitBuy, rules, rich, undefined)).toEqual({
      errors: {},
      preview: { notional: "630.0075", maxFee: "1.260015", total: "631.267515", estimated: false },
    });
  });

  it("previews a sell's least proceeds", () => {
    const { preview } = checkDraft({ ...limitBuy, side: "sell" }, rules, rich, undefined);
    expect(preview?.total).toBe("628.747485");
  });

  it("refuses a price off the tick and a quantity off the lot, as the server does", () => {
    const { errors, preview } = checkDraft(
      { ...limitBuy, price: "42000.505", quantity: "0.01505" },
      rules,
      rich,
      undefined,
    );
    expect(errors.price).toBe("Price must be a multiple of the tick size 0.01");
    expect(errors.quantity).toBe("Quantity must be a multiple of the lot size 0.0001");
    expect(preview).toBeUndefined();
  });

  it("refuses malformed, empty, zero and huge numbers", () => {
    const errorsOf = (quantity: string) =>
      checkDraft({ ...limitBuy, quantity }, rules, rich, undefined).errors.quantity;
    expect(errorsOf("abc")).toMatch(/positive number/);
    expect(errorsOf("-1")).toMatch(/positive number/);
    expect(errorsOf("1e3")).toMatch(/positive number/);
    expect(errorsOf(".5")).toMatch(/positive number/);
    expect(errorsOf("")).toBe("Enter a quantity");
    expect(errorsOf("0")).toBe("Quantity must be positive");
    expect(errorsOf("9999999999999999")).toBe("Quantity is too large");
  });

  it("refuses a quantity below the minimum and a value below the minimum notional", () => {
    expect(checkDraft({ ...limitBuy, quantity: "0.0009" }, rules, rich, undefined).errors.quantity).toBe(
      "Quantity must be at least 0.001 BTC",
    );
    expect(
      checkDraft({ ...limitBuy, price: "9999.99", quantity: "0.001" }, rules, rich, undefined).errors.form,
    ).toBe("Order value 9.99999 USD is below the minimum 10 USD");
    expect(
      checkDraft({ ...limitBuy, price: "10000", quantity: "0.001" }, rules, rich, undefined).errors,
    ).toEqual({});
  });

  it("refuses what the available balance cannot hold, fee included, exactly at the boundary", () => {
    const justEnough = new Map([["USD", "631.267515"]]);
    expect(checkDraft(limitBuy, rules, justEnough, undefined).errors).toEqual({});
    const short = new Map([["USD", "631.267514"]]);
    expect(checkDraft(limitBuy, rules, short, undefined).errors.form).toBe(
      "Not enough USD: this order needs 631.267515, 631.267514 is available",
    );
    expect(checkDraft({ ...limitBuy, side: "sell" }, rules, new Map(), undefined).errors.form).toBe(
      "Not enough BTC: this order needs 0.015, 0 is available",
    );
  });

  it("skips the balance check when balances are not known", () => {
    expect(checkDraft(limitBuy, rules, undefined, undefined).errors).toEqual({});
  });

  it("estimates a market order at the best opposite price with the taker fee, and needs liquidity", () => {
    const marketBuy: OrderDraft = { ...limitBuy, type: "market", timeInForce: "IOC", price: "" };
    expect(checkDraft(marketBuy, rules, rich, "42000").preview).toEqual({
      notional: "630",
      maxFee: "1.26",
      total: "631.26",
      estimated: true,
    });
    expect(checkDraft(marketBuy, rules, rich, undefined).errors.form).toBe(
      "No asks in the book: a market order would not fill",
    );
    expect(checkDraft({ ...marketBuy, timeInForce: "GTC" }, rules, rich, "42000").errors.form).toBe(
      "A market order is IOC or FOK",
    );
  });

  it("refuses every order on a halted market", () => {
    expect(checkDraft(limitBuy, { ...rules, halted: true }, rich, undefined).errors.form).toMatch(/halted/);
  });
});

describe("timeInForceOf", () => {
  it("maps post-only to a GTC order that only adds liquidity", () => {
    expect(timeInForceOf("POST_ONLY")).toEqual({ timeInForce: "GTC", postOnly: true });
    expect(timeInForceOf("FOK")).toEqual({ timeInForce: "FOK", postOnly: false });
  });
});
