import { describe, expect, it } from "vitest";
import { amend, limit } from "./test-support/commands.js";
import { createHarness, IMPLEMENTATIONS } from "./test-support/harness.js";

describe.each(IMPLEMENTATIONS)("amend (%s)", (implementation) => {
  /** Two bids at 100 (1 before 2) and one ask at 105. */
  const setup = () => {
    const h = createHarness(implementation);
    h.run(
      limit(1, "buy", 100, 5),
      limit(2, "buy", 100, 5, { account: 2 }),
      limit(3, "sell", 105, 4, { account: 3 }),
    );
    return h;
  };

  it("keeps time priority when only reducing the quantity", () => {
    const h = setup();
    expect(h.run(amend(1, 100, 2))).toEqual([
      { type: "amended", orderId: 1, accountId: 1, price: 100, quantity: 2, priorityKept: true },
      { type: "level", side: "buy", price: 100, quantity: 7, orderCount: 2 },
    ]);
    expect(h.resting()).toMatchObject([
      { orderId: 1, remaining: 2, quantity: 2 },
      { orderId: 2, remaining: 5 },
      { orderId: 3 },
    ]);
  });

  it("loses time priority when increasing the quantity", () => {
    const h = setup();
    expect(h.run(amend(1, 100, 6))).toMatchObject([
      { type: "amended", orderId: 1, quantity: 6, priorityKept: false },
      { type: "level", side: "buy", price: 100, quantity: 11 },
    ]);
    expect(h.resting().map((o) => o.orderId)).toEqual([2, 1, 3]);
  });

  it("loses time priority when changing the price, even back and forth", () => {
    const h = setup();
    expect(h.run(amend(1, 99, 5))).toMatchObject([
      { type: "amended", orderId: 1, price: 99, quantity: 5, priorityKept: false },
      { type: "level", side: "buy", price: 100, quantity: 5 },
      { type: "level", side: "buy", price: 99, quantity: 5 },
    ]);
    h.run(amend(1, 100, 5));
    expect(h.resting().map((o) => o.orderId)).toEqual([2, 1, 3]);
  });

  it("emits only the acknowledgement when nothing changes", () => {
    const h = setup();
    expect(h.run(amend(1, 100, 5))).toEqual([
      { type: "amended", orderId: 1, accountId: 1, price: 100, quantity: 5, priorityKept: true },
    ]);
  });

  it("trades when the new price crosses, and rests the remainder", () => {
    const h = setup();
    expect(h.run(amend(2, 106, 6, 2))).toMatchObject([
      { type: "amended", orderId: 2, price: 106, quantity: 6 },
      { type: "level", side: "buy", price: 100, quantity: 5 },
      { type: "trade", makerOrderId: 3, takerOrderId: 2, price: 105, quantity: 4, takerSide: "buy" },
      { type: "level", side: "sell", price: 105, quantity: 0 },
      { type: "level", side: "buy", price: 106, quantity: 2 },
    ]);
    expect(h.resting()).toMatchObject([
      { orderId: 2, price: 106, remaining: 2, filled: 4, quantity: 6 },
      { orderId: 1, price: 100 },
    ]);
  });

  it("keeps the filled part and counts the new quantity as still open", () => {
    const h = setup();
    h.run(limit(4, "sell", 100, 3, { account: 4 }));
    expect(h.resting()[0]).toMatchObject({ orderId: 1, filled: 3, remaining: 2, quantity: 5 });
    h.run(amend(1, 100, 1));
    expect(h.resting()[0]).toMatchObject({ orderId: 1, filled: 3, remaining: 1, quantity: 4 });
  });

  it("applies the order's own self-trade mode when a price move crosses", () => {
    const h = setup();
    h.run(limit(4, "sell", 104, 1, { account: 1 }));
    expect(h.run(amend(1, 105, 5))).toMatchObject([
      { type: "amended" },
      { type: "level", side: "buy", price: 100, quantity: 5 },
      { type: "expired", orderId: 1, quantity: 5, reason: "SELF_TRADE" },
    ]);
    expect(h.resting().map((o) => o.orderId)).toEqual([2, 4, 3]);
  });

  it("removes an order that a price move fills completely", () => {
    const h = setup();
    expect(h.run(amend(1, 105, 4))).toMatchObject([
      { type: "amended" },
      { type: "level", side: "buy", price: 100, quantity: 5 },
      { type: "trade", quantity: 4, makerRemaining: 0 },
      { type: "level", side: "sell", price: 105, quantity: 0 },
    ]);
    expect(h.resting().map((o) => o.orderId)).toEqual([2]);
  });

  it("rejects moving a post-only order to a price that would take", () => {
    const h = setup();
    h.run(limit(4, "buy", 101, 1, { postOnly: true }));
    expect(h.run(amend(4, 105, 1))).toEqual([
      { type: "rejected", command: "amend", orderId: 4, accountId: 1, reason: "POST_ONLY_WOULD_TAKE" },
    ]);
    expect(h.run(amend(4, 104, 1))).toMatchObject([
      { type: "amended" },
      { type: "level" },
      { type: "level" },
    ]);
  });

  it("rejects an unknown order, or someone else's, as unknown", () => {
    const h = setup();
    expect(h.run(amend(99, 100, 1))).toMatchObject([{ type: "rejected", reason: "UNKNOWN_ORDER" }]);
    expect(h.run(amend(1, 100, 1, 2))).toMatchObject([{ type: "rejected", reason: "UNKNOWN_ORDER" }]);
  });

  it.each([
    [0, 1, "INVALID_PRICE"],
    [100.5, 1, "INVALID_PRICE"],
    [100, 0, "INVALID_QUANTITY"],
    [100, -1, "INVALID_QUANTITY"],
    [100, 1.5, "INVALID_QUANTITY"],
  ])("rejects price %d and quantity %d as %s", (price, quantity, reason) => {
    const h = setup();
    expect(h.run(amend(1, price, quantity))).toMatchObject([{ type: "rejected", command: "amend", reason }]);
  });
});
