import { describe, expect, it } from "vitest";
import { BookSide } from "./book-side.js";
import type { Side } from "./commands.js";
import { Engine } from "./engine.js";
import { EventRecorder } from "./event-recorder.js";
import { PAGE_TICKS } from "./price-page.js";
import { amend, cancel, limit, market } from "./test-support/commands.js";
import { OPEN_RULES } from "./test-support/harness.js";

/** More than the side keeps spare, so the drain also drops levels it does not keep. */
const ORDERS_PER_SIDE = 3000;
/** Spreads each side over several pages, so pages are dropped and pooled too. */
const SPACING = 7;
const ASKS_FROM = ORDERS_PER_SIDE * SPACING + PAGE_TICKS;

/** Resting orders at distinct prices: bids from price 1 up, asks from ASKS_FROM up; ids follow prices. */
function fullBook(): Engine {
  const engine = new Engine(OPEN_RULES, new EventRecorder());
  for (const side of ["buy", "sell"] as const) {
    for (let i = 0; i < ORDERS_PER_SIDE; i++) engine.place(limit(idOf(side, i), side, priceOf(side, i), 1));
  }
  expect(engine.verify()).toEqual([]);
  return engine;
}

function idOf(side: Side, i: number): number {
  return (side === "buy" ? 0 : ORDERS_PER_SIDE) + i + 1;
}

function priceOf(side: Side, i: number): number {
  return (side === "buy" ? 1 : ASKS_FROM) + i * SPACING;
}

describe("spare pools after a large book drains", () => {
  it.each([
    ["ascending", false],
    ["descending", true],
  ])("hold no links once every order is cancelled in %s price order", (_order, descending) => {
    const engine = fullBook();
    const ids = Array.from({ length: ORDERS_PER_SIDE * 2 }, (_, i) => i + 1);
    if (descending) ids.reverse();
    for (const id of ids) expect(engine.cancel(cancel(id))).toBe("OK");
    expect(engine.orderCount).toBe(0);
    expect(engine.verify()).toEqual([]);
  });

  it("hold no links once takers sweep both sides", () => {
    const engine = fullBook();
    engine.place(market(100_001, "buy", ORDERS_PER_SIDE, { account: 2 }));
    engine.place(market(100_002, "sell", ORDERS_PER_SIDE, { account: 2 }));
    expect(engine.orderCount).toBe(0);
    expect(engine.verify()).toEqual([]);
  });

  it("hold no links once amends move every order onto one price", () => {
    const engine = fullBook();
    for (let i = 0; i < ORDERS_PER_SIDE; i++) {
      expect(engine.amend(amend(idOf("buy", i), 1, 1))).toBe("OK");
      expect(engine.amend(amend(idOf("sell", i), ASKS_FROM, 1))).toBe("OK");
    }
    expect(engine.depth(2)).toEqual({
      bids: [{ price: 1, quantity: ORDERS_PER_SIDE, orders: ORDERS_PER_SIDE }],
      asks: [{ price: ASKS_FROM, quantity: ORDERS_PER_SIDE, orders: ORDERS_PER_SIDE }],
    });
    expect(engine.verify()).toEqual([]);
  });
});

describe("BookSide.drop", () => {
  it("leaves a dropped level no link to its queue or its old neighbours", () => {
    const side = new BookSide("sell");
    const levels = [1, 2, 3, PAGE_TICKS * 3].map((price) => side.levelAt(price));
    for (const level of levels) side.drop(level);
    for (const level of levels) {
      expect(level).toMatchObject({ head: null, tail: null, better: null, worse: null });
    }
    expect(side.validateSpares()).toEqual([]);
  });

  it("is audited: a spare level that keeps a neighbour is reported", () => {
    const side = new BookSide("buy");
    const spare = side.levelAt(1);
    const kept = side.levelAt(2);
    side.drop(spare);
    spare.better = kept;
    expect(side.validateSpares()).toEqual(["spare level (last at 1) keeps its neighbours"]);
  });
});
