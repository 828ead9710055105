import { describe, expect, it } from "vitest";
import { limit, market, marketBuyFor } from "./test-support/commands.js";
import { createHarness, IMPLEMENTATIONS } from "./test-support/harness.js";

describe.each(IMPLEMENTATIONS)("market orders (%s)", (implementation) => {
  const setup = () => createHarness(implementation);

  it("sweeps the book best price first with no limit", () => {
    const h = setup();
    h.run(limit(1, "sell", 100, 1, { account: 2 }), limit(2, "sell", 150, 1, { account: 2 }));
    expect(h.run(market(3, "buy", 2))).toMatchObject([
      { type: "accepted", orderType: "market", timeInForce: "IOC", price: 0, quantity: 2 },
      { type: "trade", makerOrderId: 1, price: 100 },
      { type: "level", price: 100, quantity: 0 },
      { type: "trade", makerOrderId: 2, price: 150 },
      { type: "level", price: 150, quantity: 0 },
    ]);
  });

  it("expires when there is no liquidity at all", () => {
    const h = setup();
    expect(h.run(market(1, "sell", 3))).toMatchObject([
      { type: "accepted" },
      { type: "expired", orderId: 1, quantity: 3, reason: "IOC" },
    ]);
    expect(h.resting()).toEqual([]);
  });

  it("expires what the book could not fill, and never rests", () => {
    const h = setup();
    h.run(limit(1, "buy", 90, 2, { account: 2 }));
    expect(h.run(market(2, "sell", 5))).toMatchObject([
      { type: "accepted" },
      { type: "trade", price: 90, quantity: 2 },
      { type: "level", side: "buy", price: 90, quantity: 0 },
      { type: "expired", orderId: 2, quantity: 3, reason: "IOC" },
    ]);
    expect(h.resting()).toEqual([]);
  });

  it("honours FOK: all of it or nothing", () => {
    const h = setup();
    h.run(limit(1, "sell", 100, 2, { account: 2 }));
    expect(h.run(market(2, "buy", 3, { tif: "FOK" }))).toMatchObject([
      { type: "accepted" },
      { type: "expired", quantity: 3, reason: "FOK" },
    ]);
    expect(h.run(market(3, "buy", 2, { tif: "FOK" }))).toMatchObject([
      { type: "accepted" },
      { type: "trade", quantity: 2 },
      { type: "level", quantity: 0 },
    ]);
  });

  describe("a buy sized by quote amount", () => {
    it("buys whole lots while the budget lasts and returns the rest, never overspending", () => {
      const h = setup();
      h.run(limit(1, "sell", 30, 2, { account: 2 }), limit(2, "sell", 40, 5, { account: 2 }));
      // 2 x 30 = 60 spent, 40 left buys 1 lot at 40, 0 left.
      expect(h.run(marketBuyFor(3, 100n))).toMatchObject([
        { type: "accepted", quantity: 0, quoteAmount: 100n },
        { type: "trade", price: 30, quantity: 2 },
        { type: "level", price: 30, quantity: 0 },
        { type: "trade", price: 40, quantity: 1, makerRemaining: 4 },
        { type: "level", price: 40, quantity: 4 },
      ]);
    });

    it("expires the unspent budget when it cannot buy one more lot", () => {
      const h = setup();
      h.run(limit(1, "sell", 30, 1, { account: 2 }), limit(2, "sell", 40, 5, { account: 2 }));
      expect(h.run(marketBuyFor(3, 99n))).toMatchObject([
        { type: "accepted" },
        { type: "trade", price: 30, quantity: 1 },
        { type: "level", price: 30, quantity: 0 },
        { type: "trade", price: 40, quantity: 1 },
        { type: "level", price: 40, quantity: 4 },
        { type: "expired", orderId: 3, quantity: 0, quoteAmount: 29n, reason: "IOC" },
      ]);
    });

    it("spends nothing when the budget is below the best price", () => {
      const h = setup();
      h.run(limit(1, "sell", 30, 1, { account: 2 }));
      expect(h.run(marketBuyFor(2, 29n))).toMatchObject([
        { type: "accepted" },
        { type: "expired", quantity: 0, quoteAmount: 29n, reason: "IOC" },
      ]);
    });

    it("expires the whole budget on an empty book", () => {
      const h = setup();
      expect(h.run(marketBuyFor(1, 500n))).toMatchObject([
        { type: "accepted" },
        { type: "expired", quoteAmount: 500n, reason: "IOC" },
      ]);
    });

    it("keeps exact accounts for budgets and prices beyond 2^53", () => {
      const h = setup();
      const price = 2 ** 40;
      h.run(limit(1, "sell", price, 2 ** 20, { account: 2 }));
      const budget = 3n * 2n ** 40n * 2n ** 12n + 7n;
      expect(h.run(marketBuyFor(2, budget))).toMatchObject([
        { type: "accepted" },
        { type: "trade", price, quantity: 3 * 2 ** 12 },
        { type: "level", quantity: 2 ** 20 - 3 * 2 ** 12 },
        { type: "expired", quoteAmount: 7n },
      ]);
    });
  });
});
