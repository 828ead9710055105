import { describe, expect, it } from "vitest";
import type { PlaceCommand } from "./commands.js";
import { amend, limit, market, marketBuyFor } from "./test-support/commands.js";
import { createHarness, IMPLEMENTATIONS } from "./test-support/harness.js";

const HUGE = Number.MAX_SAFE_INTEGER - 10;

describe.each(IMPLEMENTATIONS)("validation (%s)", (implementation) => {
  const rules = { minQuantity: 2, minNotional: 1000n };
  const setup = () => createHarness(implementation, rules);

  const malformed: [string, PlaceCommand][] = [
    ["a fractional order id", { ...limit(1.5, "buy", 100, 10) }],
    ["a negative account id", { ...limit(1, "buy", 100, 10), accountId: -1 }],
    ["an unknown side", { ...limit(1, "buy", 100, 10), side: "long" as "buy" }],
    ["an unknown order type", { ...limit(1, "buy", 100, 10), orderType: "stop" as "limit" }],
    ["an unknown time in force", { ...limit(1, "buy", 100, 10), timeInForce: "GTD" as "GTC" }],
    ["an unknown STP mode", { ...limit(1, "buy", 100, 10), stp: "NONE" as "EXPIRE_TAKER" }],
    ["a GTC market order", market(1, "buy", 10, { tif: "GTC" })],
    ["a post-only IOC", limit(1, "buy", 100, 10, { tif: "IOC", postOnly: true })],
    ["a post-only market order", { ...market(1, "buy", 10), postOnly: true }],
    ["a quote-sized sell", { ...market(1, "sell", 0), quoteAmount: 5000n }],
    ["a quote-sized limit", { ...limit(1, "buy", 100, 0), quoteAmount: 5000n }],
    ["a quote-sized FOK", marketBuyFor(1, 5000n, { tif: "FOK" })],
    ["quote and quantity both", { ...market(1, "buy", 10), quoteAmount: 5000n }],
    ["a number as quote amount", { ...market(1, "buy", 0), quoteAmount: 5000 as unknown as bigint }],
  ];

  it.each(malformed)("rejects %s as INVALID_ORDER", (_name, command) => {
    const h = setup();
    expect(h.run(command)).toEqual([
      {
        type: "rejected",
        command: "place",
        orderId: command.orderId,
        accountId: command.accountId,
        reason: "INVALID_ORDER",
      },
    ]);
  });

  it.each<[string, PlaceCommand, string]>([
    ["zero quantity", limit(1, "buy", 100, 0), "INVALID_QUANTITY"],
    ["fractional quantity", limit(1, "buy", 100, 2.5), "INVALID_QUANTITY"],
    ["unsafe quantity", limit(1, "buy", 100, 2 ** 53), "INVALID_QUANTITY"],
    ["a negative budget", marketBuyFor(1, -5n), "INVALID_QUANTITY"],
    ["zero price", limit(1, "buy", 0, 10), "INVALID_PRICE"],
    ["fractional price (off the tick)", limit(1, "buy", 100.5, 10), "INVALID_PRICE"],
    ["NaN price", limit(1, "buy", Number.NaN, 10), "INVALID_PRICE"],
    ["below the minimum quantity", limit(1, "buy", 1000, 1), "BELOW_MIN_QUANTITY"],
    ["a market order below the minimum quantity", market(1, "sell", 1), "BELOW_MIN_QUANTITY"],
    ["below the minimum notional", limit(1, "buy", 499, 2), "BELOW_MIN_NOTIONAL"],
    ["a budget below the minimum notional", marketBuyFor(1, 999n), "BELOW_MIN_NOTIONAL"],
  ])("rejects %s", (_name, command, reason) => {
    const h = setup();
    expect(h.run(command)).toMatchObject([{ type: "rejected", reason }]);
    expect(h.resting()).toEqual([]);
  });

  it("accepts exactly the minimum quantity and notional", () => {
    const h = setup();
    expect(h.result(limit(1, "buy", 500, 2))).toBe("OK");
    expect(h.result(marketBuyFor(2, 1000n))).toBe("OK");
  });

  it("compares notional exactly beyond 2^53", () => {
    const h = createHarness(implementation, { minQuantity: 1, minNotional: 2n ** 60n + 1n });
    expect(h.result(limit(1, "buy", 2 ** 30, 2 ** 30))).toBe("BELOW_MIN_NOTIONAL");
    expect(h.result(limit(2, "buy", 2 ** 30, 2 ** 30 + 1))).toBe("OK");
  });

  it("rejects a duplicate id of a live order, and allows reuse once it is gone", () => {
    const h = setup();
    h.run(limit(1, "buy", 500, 2));
    expect(h.run(limit(1, "sell", 600, 2, { account: 2 }))).toMatchObject([
      { type: "rejected", reason: "DUPLICATE_ORDER_ID" },
    ]);
    h.run(limit(2, "sell", 500, 2, { account: 2 }));
    expect(h.result(limit(1, "sell", 600, 2, { account: 2 }))).toBe("OK");
  });

  it("keeps each side's open quantity within 2^53 - 1, on place and on amend", () => {
    const h = createHarness(implementation);
    h.run(limit(1, "buy", 10, HUGE - 20), limit(2, "buy", 11, 20));
    expect(h.result(limit(3, "buy", 9, 11))).toBe("VOLUME_OVERFLOW");
    expect(h.result(limit(3, "sell", 12, HUGE))).toBe("OK");
    expect(h.result(amend(2, 11, 30))).toBe("OK");
    expect(h.result(amend(2, 11, 31))).toBe("VOLUME_OVERFLOW");
    expect(h.result(amend(2, 8, 31))).toBe("VOLUME_OVERFLOW");
    expect(h.result(amend(2, 8, 30))).toBe("OK");
    expect(h.result(limit(4, "buy", 10, 11, { tif: "IOC" }))).toBe("OK");
  });

  it("changes nothing but the sequence when rejecting", () => {
    const h = setup();
    h.run(limit(1, "buy", 500, 2));
    const before = h.resting();
    h.run(limit(2, "buy", 500, 1), limit(1, "buy", 500, 2));
    expect(h.resting()).toEqual(before);
    expect(h.events.map((e) => e.seq)).toEqual([1, 2, 3, 4]);
  });
});
