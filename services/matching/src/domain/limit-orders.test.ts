import { describe, expect, it } from "vitest";
import { limit } from "./test-support/commands.js";
import { createHarness, IMPLEMENTATIONS } from "./test-support/harness.js";

describe.each(IMPLEMENTATIONS)("limit orders (%s)", (implementation) => {
  const setup = () => createHarness(implementation);

  it("rests a GTC order that does not cross", () => {
    const h = setup();
    expect(h.run(limit(1, "buy", 100, 5))).toEqual([
      {
        type: "accepted",
        orderId: 1,
        accountId: 1,
        side: "buy",
        orderType: "limit",
        timeInForce: "GTC",
        price: 100,
        quantity: 5,
        quoteAmount: 0n,
      },
      { type: "level", side: "buy", price: 100, quantity: 5, orderCount: 1 },
    ]);
    expect(h.resting()).toMatchObject([{ orderId: 1, price: 100, remaining: 5, filled: 0, quantity: 5 }]);
  });

  it("fills at the maker's price, not the taker's", () => {
    const h = setup();
    h.run(limit(1, "sell", 100, 5, { account: 2 }));
    expect(h.run(limit(2, "buy", 105, 5))).toEqual([
      expect.objectContaining({ type: "accepted", orderId: 2 }),
      {
        type: "trade",
        makerOrderId: 1,
        makerAccountId: 2,
        takerOrderId: 2,
        takerAccountId: 1,
        takerSide: "buy",
        price: 100,
        quantity: 5,
        makerRemaining: 0,
      },
      { type: "level", side: "sell", price: 100, quantity: 0, orderCount: 0 },
    ]);
    expect(h.resting()).toEqual([]);
  });

  it("fills the earliest order first within a level (time priority)", () => {
    const h = setup();
    h.run(limit(1, "sell", 100, 3, { account: 2 }), limit(2, "sell", 100, 3, { account: 3 }));
    expect(h.run(limit(3, "buy", 100, 4))).toMatchObject([
      { type: "accepted" },
      { type: "trade", makerOrderId: 1, quantity: 3, makerRemaining: 0 },
      { type: "trade", makerOrderId: 2, quantity: 1, makerRemaining: 2 },
      { type: "level", side: "sell", price: 100, quantity: 2 },
    ]);
    expect(h.resting()).toMatchObject([{ orderId: 2, remaining: 2, filled: 1, quantity: 3 }]);
  });

  it("takes better prices first and never trades through a level (price priority)", () => {
    const h = setup();
    h.run(
      limit(1, "sell", 102, 2, { account: 2 }),
      limit(2, "sell", 101, 2, { account: 2 }),
      limit(3, "sell", 103, 2, { account: 2 }),
    );
    expect(h.run(limit(4, "buy", 102, 5))).toMatchObject([
      { type: "accepted" },
      { type: "trade", makerOrderId: 2, price: 101, quantity: 2 },
      { type: "level", side: "sell", price: 101, quantity: 0 },
      { type: "trade", makerOrderId: 1, price: 102, quantity: 2 },
      { type: "level", side: "sell", price: 102, quantity: 0 },
      { type: "level", side: "buy", price: 102, quantity: 1 },
    ]);
    expect(h.resting()).toMatchObject([
      { orderId: 4, side: "buy", price: 102, remaining: 1, filled: 4 },
      { orderId: 3, side: "sell", price: 103, remaining: 2 },
    ]);
  });

  it("sells into the highest bid first", () => {
    const h = setup();
    h.run(limit(1, "buy", 99, 1, { account: 2 }), limit(2, "buy", 101, 1, { account: 2 }));
    expect(h.run(limit(3, "sell", 98, 1))).toMatchObject([
      { type: "accepted" },
      { type: "trade", makerOrderId: 2, price: 101, takerSide: "sell" },
      { type: "level", side: "buy", price: 101, quantity: 0 },
    ]);
  });

  it("expires the unfilled remainder of an IOC order", () => {
    const h = setup();
    h.run(limit(1, "sell", 100, 2, { account: 2 }));
    expect(h.run(limit(2, "buy", 100, 5, { tif: "IOC" }))).toMatchObject([
      { type: "accepted" },
      { type: "trade", quantity: 2 },
      { type: "level", side: "sell", price: 100, quantity: 0 },
      { type: "expired", orderId: 2, quantity: 3, quoteAmount: 0n, reason: "IOC" },
    ]);
    expect(h.resting()).toEqual([]);
  });

  it("expires an IOC order that does not cross at all", () => {
    const h = setup();
    h.run(limit(1, "sell", 101, 2, { account: 2 }));
    expect(h.run(limit(2, "buy", 100, 5, { tif: "IOC" }))).toMatchObject([
      { type: "accepted" },
      { type: "expired", orderId: 2, quantity: 5, reason: "IOC" },
    ]);
  });

  it("fills a FOK order completely when the book can", () => {
    const h = setup();
    h.run(limit(1, "sell", 100, 2, { account: 2 }), limit(2, "sell", 101, 3, { account: 3 }));
    expect(h.run(limit(3, "buy", 101, 5, { tif: "FOK" }))).toMatchObject([
      { type: "accepted" },
      { type: "trade", makerOrderId: 1, quantity: 2 },
      { type: "level", price: 100, quantity: 0 },
      { type: "trade", makerOrderId: 2, quantity: 3 },
      { type: "level", price: 101, quantity: 0 },
    ]);
  });

  it("expires a FOK order that cannot fill completely, without touching the book", () => {
    const h = setup();
    h.run(limit(1, "sell", 100, 2, { account: 2 }), limit(2, "sell", 102, 3, { account: 3 }));
    const before = h.resting();
    expect(h.run(limit(3, "buy", 101, 5, { tif: "FOK" }))).toMatchObject([
      { type: "accepted" },
      { type: "expired", orderId: 3, quantity: 5, reason: "FOK" },
    ]);
    expect(h.resting()).toEqual(before);
  });

  it("rests a post-only order that does not cross", () => {
    const h = setup();
    h.run(limit(1, "sell", 101, 2, { account: 2 }));
    expect(h.run(limit(2, "buy", 100, 1, { postOnly: true }))).toMatchObject([
      { type: "accepted" },
      { type: "level", side: "buy", price: 100, quantity: 1 },
    ]);
  });

  it("rejects a post-only order that would take, and leaves the book alone", () => {
    const h = setup();
    h.run(limit(1, "sell", 101, 2, { account: 2 }));
    expect(h.run(limit(2, "buy", 101, 1, { postOnly: true }))).toEqual([
      { type: "rejected", command: "place", orderId: 2, accountId: 1, reason: "POST_ONLY_WOULD_TAKE" },
    ]);
    expect(h.resting()).toMatchObject([{ orderId: 1, remaining: 2 }]);
  });

  it("adds to an existing level and reports the new total", () => {
    const h = setup();
    h.run(limit(1, "buy", 100, 2));
    expect(h.run(limit(2, "buy", 100, 3, { account: 2 }))).toMatchObject([
      { type: "accepted" },
      { type: "level", side: "buy", price: 100, quantity: 5 },
    ]);
  });

  it("numbers every event with a gapless sequence, rejections included", () => {
    const h = setup();
    h.run(limit(1, "sell", 100, 2, { account: 2 }), limit(1, "sell", 100, 2), limit(2, "buy", 100, 1));
    expect(h.events.map((e) => e.seq)).toEqual(h.events.map((_, i) => i + 1));
  });
});
