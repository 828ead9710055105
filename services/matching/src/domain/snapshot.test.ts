import { describe, expect, it } from "vitest";
import { Engine } from "./engine.js";
import { EventRecorder } from "./event-recorder.js";
import type { EngineEvent } from "./events.js";
import type { EngineSnapshot } from "./snapshot.js";
import { amend, cancel, limit, market } from "./test-support/commands.js";

const RULES = { minQuantity: 1, minNotional: 5n };

function seeded(): { engine: Engine; events: EngineEvent[] } {
  const recorder = new EventRecorder();
  const events = recorder.events;
  const engine = new Engine(RULES, recorder);
  engine.execute(limit(1, "buy", 100, 5, { account: 1, stp: "EXPIRE_MAKER" }));
  engine.execute(limit(2, "buy", 100, 3, { account: 2, postOnly: true }));
  engine.execute(limit(3, "buy", 99, 4, { account: 3 }));
  engine.execute(limit(4, "sell", 103, 2, { account: 4 }));
  engine.execute(limit(5, "sell", 101, 6, { account: 5 }));
  engine.execute(market(6, "sell", 2, { account: 6 }));
  return { engine, events };
}

describe("snapshot and restore", () => {
  it("captures rules, sequence and every order in priority order as plain JSON", () => {
    const { engine } = seeded();
    const snapshot = engine.snapshot();
    expect(JSON.parse(JSON.stringify(snapshot))).toEqual(snapshot);
    expect(snapshot).toEqual({
      version: 1,
      seq: engine.seq,
      rules: { minQuantity: 1, minNotional: "5" },
      orders: [
        expect.objectContaining({ orderId: 1, filled: 2, remaining: 3, quantity: 5, stp: "EXPIRE_MAKER" }),
        expect.objectContaining({ orderId: 2, postOnly: true }),
        expect.objectContaining({ orderId: 3 }),
        expect.objectContaining({ orderId: 5, side: "sell", price: 101 }),
        expect.objectContaining({ orderId: 4, side: "sell", price: 103 }),
      ],
    });
  });

  it("restores an engine whose future events are identical, sequence numbers included", () => {
    const { engine, events } = seeded();
    const replay = new EventRecorder();
    const replayed = replay.events;
    const restored = Engine.restore(JSON.parse(JSON.stringify(engine.snapshot())), replay);
    const from = events.length;
    const rest = [
      market(7, "buy", 7, { account: 7 }),
      amend(1, 101, 3, 1),
      cancel(2, 2),
      limit(8, "sell", 99, 10, { account: 1, stp: "EXPIRE_MAKER" }),
      limit(9, "buy", 1, 1, { account: 9 }),
    ];
    for (const command of rest) {
      expect(restored.execute(command)).toBe(engine.execute(command));
    }
    expect(replayed).toEqual(events.slice(from));
    expect(replayed[0]?.seq).toBe(from + 1);
    expect(restored.snapshot()).toEqual(engine.snapshot());
    expect(restored.depth(10)).toEqual(engine.depth(10));
  });

  it("refuses a snapshot it cannot trust", () => {
    const good = seeded().engine.snapshot();
    const crossed: EngineSnapshot = {
      ...good,
      orders: good.orders.map((o) => (o.orderId === 5 ? { ...o, price: 100 } : o)),
    };
    expect(() => Engine.restore(crossed, new EventRecorder())).toThrow(/crossed book/);
    const unbalanced: EngineSnapshot = {
      ...good,
      orders: good.orders.map((o) => (o.orderId === 1 ? { ...o, filled: 0 } : o)),
    };
    expect(() => Engine.restore(unbalanced, new EventRecorder())).toThrow(/filled \+ remaining != quantity/);
    expect(() => Engine.restore({ ...good, version: 2 as 1 }, new EventRecorder())).toThrow(/version/);
    expect(() => Engine.restore({ ...good, seq: -1 }, new EventRecorder())).toThrow(/seq/);
    expect(() =>
      Engine.restore({ ...good, rules: { ...good.rules, minNotional: "1e3" } }, new EventRecorder()),
    ).toThrow(/minNotional/);
  });
});
