import { describe, expect, it } from "vitest";
import type { Command } from "./commands.js";
import { Engine } from "./engine.js";
import { EventRecorder } from "./event-recorder.js";
import { limit } from "./test-support/commands.js";
import { OPEN_RULES } from "./test-support/harness.js";

function engineWith(...commands: Command[]): Engine {
  const engine = new Engine(OPEN_RULES, new EventRecorder());
  for (const command of commands) engine.execute(command);
  return engine;
}

describe("queries", () => {
  const book = () =>
    engineWith(
      limit(1, "buy", 98, 1),
      limit(2, "buy", 100, 2),
      limit(3, "buy", 100, 3, { account: 2 }),
      limit(4, "buy", 97, 4),
      limit(5, "sell", 103, 5),
      limit(6, "sell", 101, 6),
    );

  it("aggregates the top N levels of each side, best first", () => {
    expect(book().depth(2)).toEqual({
      bids: [
        { price: 100, quantity: 5, orders: 2 },
        { price: 98, quantity: 1, orders: 1 },
      ],
      asks: [
        { price: 101, quantity: 6, orders: 1 },
        { price: 103, quantity: 5, orders: 1 },
      ],
    });
    expect(book().depth(0)).toEqual({ bids: [], asks: [] });
    expect(
      book()
        .depth(10)
        .bids.map((l) => l.price),
    ).toEqual([100, 98, 97]);
  });

  it("reports the touch and each order", () => {
    const engine = book();
    expect(engine.bestBid()).toBe(100);
    expect(engine.bestAsk()).toBe(101);
    expect(engine.orderCount).toBe(6);
    expect(engine.order(3)).toEqual({
      orderId: 3,
      accountId: 2,
      side: "buy",
      price: 100,
      quantity: 3,
      filled: 0,
      remaining: 3,
      stp: "EXPIRE_TAKER",
      postOnly: false,
    });
    expect(engine.order(42)).toBeUndefined();
    const empty = engineWith();
    expect([empty.bestBid(), empty.bestAsk()]).toEqual([null, null]);
  });

  it("counts the sequence of the last event", () => {
    expect(book().seq).toBe(12);
  });

  it("refuses invalid rules and command types as programming errors", () => {
    expect(() => new Engine({ minQuantity: 0, minNotional: 0n }, new EventRecorder())).toThrow(RangeError);
    expect(() => new Engine({ minQuantity: 1, minNotional: -1n }, new EventRecorder())).toThrow(RangeError);
    expect(() => book().execute({ type: "replace" } as unknown as Command)).toThrow(TypeError);
  });
});
