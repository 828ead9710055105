import { describe, expect, it } from "vitest";
import { limit, market } from "./test-support/commands.js";
import { createHarness, IMPLEMENTATIONS } from "./test-support/harness.js";

describe.each(IMPLEMENTATIONS)("self-trade prevention (%s)", (implementation) => {
  /** Account 1 rests 2 lots at 100 behind account 2's 1 lot at 100, and 2 more at 101. */
  const setup = () => {
    const h = createHarness(implementation);
    h.run(
      limit(1, "sell", 100, 1, { account: 2 }),
      limit(2, "sell", 100, 2, { account: 1 }),
      limit(3, "sell", 101, 2, { account: 3 }),
    );
    return h;
  };

  it("expires the taker by default, after what it traded with others", () => {
    const h = setup();
    expect(h.run(limit(4, "buy", 101, 5, { account: 1 }))).toMatchObject([
      { type: "accepted" },
      { type: "trade", makerOrderId: 1, quantity: 1 },
      { type: "level", price: 100, quantity: 2 },
      { type: "expired", orderId: 4, quantity: 4, reason: "SELF_TRADE" },
    ]);
    expect(h.resting().map((o) => o.orderId)).toEqual([2, 3]);
  });

  it("EXPIRE_MAKER expires the own resting order and keeps matching", () => {
    const h = setup();
    expect(h.run(limit(4, "buy", 101, 5, { account: 1, stp: "EXPIRE_MAKER" }))).toMatchObject([
      { type: "accepted" },
      { type: "trade", makerOrderId: 1, quantity: 1 },
      { type: "expired", orderId: 2, accountId: 1, quantity: 2, reason: "SELF_TRADE" },
      { type: "level", price: 100, quantity: 0 },
      { type: "trade", makerOrderId: 3, quantity: 2 },
      { type: "level", price: 101, quantity: 0 },
      { type: "level", side: "buy", price: 101, quantity: 2 },
    ]);
  });

  it("EXPIRE_BOTH expires the own resting order and the taker", () => {
    const h = setup();
    expect(h.run(limit(4, "buy", 101, 5, { account: 1, stp: "EXPIRE_BOTH" }))).toMatchObject([
      { type: "accepted" },
      { type: "trade", makerOrderId: 1, quantity: 1 },
      { type: "expired", orderId: 2, quantity: 2, reason: "SELF_TRADE" },
      { type: "level", price: 100, quantity: 0 },
      { type: "expired", orderId: 4, quantity: 4, reason: "SELF_TRADE" },
    ]);
    expect(h.resting().map((o) => o.orderId)).toEqual([3]);
  });

  it("stops a market order too", () => {
    const h = setup();
    expect(h.run(market(4, "buy", 3, { account: 1 }))).toMatchObject([
      { type: "accepted" },
      { type: "trade", makerOrderId: 1 },
      { type: "level", price: 100, quantity: 2 },
      { type: "expired", orderId: 4, quantity: 2, reason: "SELF_TRADE" },
    ]);
  });

  it("emits no level event when the taker stops before changing the level", () => {
    const h = createHarness(implementation);
    h.run(limit(1, "sell", 100, 1, { account: 1 }));
    expect(h.run(limit(2, "buy", 100, 1, { account: 1 }))).toMatchObject([
      { type: "accepted" },
      { type: "expired", orderId: 2, quantity: 1, reason: "SELF_TRADE" },
    ]);
  });

  describe("with FOK, the fillable check applies the same rule", () => {
    it("counts nothing past an own order that would stop the taker", () => {
      const h = setup();
      // 5 lots cross in total, but EXPIRE_TAKER would stop after 1.
      expect(h.run(limit(4, "buy", 101, 3, { account: 1, tif: "FOK" }))).toMatchObject([
        { type: "accepted" },
        { type: "expired", orderId: 4, quantity: 3, reason: "FOK" },
      ]);
      expect(h.resting().map((o) => o.orderId)).toEqual([1, 2, 3]);
    });

    it("skips own orders that EXPIRE_MAKER would remove, and leaves them if the FOK fails", () => {
      const h = setup();
      expect(h.run(limit(4, "buy", 101, 4, { account: 1, tif: "FOK", stp: "EXPIRE_MAKER" }))).toMatchObject([
        { type: "accepted" },
        { type: "expired", orderId: 4, quantity: 4, reason: "FOK" },
      ]);
      expect(h.resting().map((o) => o.orderId)).toEqual([1, 2, 3]);
      expect(h.run(limit(5, "buy", 101, 3, { account: 1, tif: "FOK", stp: "EXPIRE_MAKER" }))).toMatchObject([
        { type: "accepted" },
        { type: "trade", makerOrderId: 1, quantity: 1 },
        { type: "expired", orderId: 2, reason: "SELF_TRADE" },
        { type: "level", price: 100, quantity: 0 },
        { type: "trade", makerOrderId: 3, quantity: 2 },
        { type: "level", price: 101, quantity: 0 },
      ]);
    });
  });

  it("lets different accounts trade", () => {
    const h = setup();
    expect(h.run(limit(4, "buy", 100, 1, { account: 9 }))).toMatchObject([
      { type: "accepted" },
      { type: "trade", makerOrderId: 1, takerAccountId: 9 },
      { type: "level" },
    ]);
  });
});
