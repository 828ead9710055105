import { describe, expect, it } from "vitest";
import { cancel, limit } from "./test-support/commands.js";
import { createHarness, IMPLEMENTATIONS } from "./test-support/harness.js";

describe.each(IMPLEMENTATIONS)("cancel (%s)", (implementation) => {
  it("removes the order and reports its open quantity and the level's new total", () => {
    const h = createHarness(implementation);
    h.run(limit(1, "sell", 100, 3), limit(2, "sell", 100, 4));
    expect(h.run(cancel(1))).toEqual([
      { type: "canceled", orderId: 1, accountId: 1, quantity: 3 },
      { type: "level", side: "sell", price: 100, quantity: 4, orderCount: 1 },
    ]);
    expect(h.run(cancel(2))).toMatchObject([
      { type: "canceled", quantity: 4 },
      { type: "level", quantity: 0, orderCount: 0 },
    ]);
    expect(h.resting()).toEqual([]);
  });

  it("cancels only the unfilled part", () => {
    const h = createHarness(implementation);
    h.run(limit(1, "sell", 100, 3), limit(2, "buy", 100, 1, { account: 2 }));
    expect(h.run(cancel(1))).toMatchObject([{ type: "canceled", quantity: 2 }, { type: "level" }]);
  });

  it("rejects unknown, finished and foreign orders alike", () => {
    const h = createHarness(implementation);
    h.run(limit(1, "sell", 100, 3));
    expect(h.run(cancel(1, 2))).toEqual([
      { type: "rejected", command: "cancel", orderId: 1, accountId: 2, reason: "UNKNOWN_ORDER" },
    ]);
    h.run(cancel(1));
    expect(h.run(cancel(1))).toMatchObject([{ type: "rejected", reason: "UNKNOWN_ORDER" }]);
    expect(h.result(cancel(7))).toBe("UNKNOWN_ORDER");
  });
});
