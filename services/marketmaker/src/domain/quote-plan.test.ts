import { describe, expect, it } from "vitest";
import { type OpenQuote, planQuotes } from "./quote-plan.js";
import { parseQuoteTag, quoteClientOrderId } from "./quote-tag.js";
import type { LadderQuote } from "./quoted-market.js";

const desired: LadderQuote[] = [
  { side: "buy", level: 1, price: "99.9", quantity: "1" },
  { side: "sell", level: 1, price: "100.1", quantity: "1" },
  { side: "buy", level: 2, price: "99.8", quantity: "1" },
  { side: "sell", level: 2, price: "100.2", quantity: "1" },
];

let ids = 0;
function open(side: OpenQuote["side"], level: number, price: string, remainingQuantity = "1"): OpenQuote {
  ids++;
  return {
    orderId: `01J${String(ids).padStart(23, "0")}`,
    clientOrderId: quoteClientOrderId({ side, level }, `n${ids}`),
    side,
    price,
    remainingQuantity,
  };
}

describe("quote tags", () => {
  it("round-trip a side and a level, within client_order_id's 36 characters", () => {
    const id = quoteClientOrderId({ side: "sell", level: 12 }, "AbCdEfGhIjKlMnOp");
    expect(id).toMatch(/^[A-Za-z0-9_-]{1,36}$/);
    expect(parseQuoteTag(id)).toEqual({ side: "sell", level: 12 });
    expect(parseQuoteTag("my-own-order")).toBeUndefined();
    expect(parseQuoteTag("mm-b0-x")).toBeUndefined();
  });
});

describe("planQuotes", () => {
  it("places the whole ladder when nothing is open", () => {
    expect(planQuotes(desired, [], 5)).toEqual({ cancel: [], place: desired });
  });

  it("keeps orders within the tolerance and places only the missing levels", () => {
    // 99.86 is 4.004 bps from 99.9: inside a 5 bps tolerance.
    const kept = [open("buy", 1, "99.86"), open("sell", 1, "100.1"), open("buy", 2, "99.8")];
    const plan = planQuotes(desired, kept, 5);
    expect(plan.cancel).toEqual([]);
    expect(plan.place).toEqual([desired[3]]);
  });

  it("reprices an order that drifted past the tolerance, exactly at its edge", () => {
    // 5 bps of 99.9 is 0.04995: 99.85005 is on the edge, 99.85004 past it.
    const edge = open("buy", 1, "99.85005");
    const past = open("buy", 2, "99.75009");
    const plan = planQuotes(desired, [edge, past], 5);
    expect(plan.cancel).toEqual([{ orderId: past.orderId, reason: "repriced" }]);
    expect(plan.place.map((quote) => `${quote.side}${quote.level}`)).toEqual(["sell1", "buy2", "sell2"]);
  });

  it("replaces a level that fills left under half its quantity, and keeps one at half", () => {
    const depleted = open("sell", 1, "100.1", "0.49");
    const half = open("buy", 1, "99.9", "0.5");
    const plan = planQuotes(desired, [depleted, half], 5);
    expect(plan.cancel).toEqual([{ orderId: depleted.orderId, reason: "refill" }]);
    expect(plan.place).toContainEqual(desired[1]);
    expect(plan.place).not.toContainEqual(desired[0]);
  });

  it("keeps the oldest of two orders on one level and cancels the other", () => {
    const older = open("buy", 1, "99.9");
    const newer = open("buy", 1, "99.9");
    const plan = planQuotes(desired, [newer, older], 5);
    expect(plan.cancel).toEqual([{ orderId: newer.orderId, reason: "duplicate" }]);
  });

  it("cancels orders of levels the ladder no longer has, and orders that are not the ladder's", () => {
    const deep = open("buy", 7, "95");
    const foreign = { ...open("sell", 1, "100.1"), clientOrderId: "manual-1" };
    const wrongSide = {
      ...open("sell", 1, "100.1"),
      clientOrderId: quoteClientOrderId({ side: "buy", level: 1 }, "x"),
    };
    const plan = planQuotes(desired, [deep, foreign, wrongSide], 5);
    expect(plan.cancel.map((entry) => entry.reason)).toEqual(["unwanted", "unwanted", "unwanted"]);
    expect(plan.place).toEqual(desired);
  });

  it("cancels everything when the market is no longer quoted", () => {
    const orders = [open("buy", 1, "99.9"), open("sell", 2, "100.2")];
    expect(planQuotes([], orders, 5)).toEqual({
      cancel: orders.map((order) => ({ orderId: order.orderId, reason: "unwanted" })),
      place: [],
    });
  });
});
