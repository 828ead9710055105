import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Engine } from "./engine.js";
import type { EngineEvent } from "./events.js";
import { commands, rules } from "./test-support/arbitraries.js";
import { EventLedger } from "./test-support/ledger.js";
import { ReferenceEngine } from "./test-support/reference-engine.js";

const RUNS = 300;
const MAX_COMMANDS = 200;

describe("engine against the naive reference model", () => {
  it("produces identical events and books, and keeps every invariant after every command", () => {
    fc.assert(
      fc.property(rules, commands(MAX_COMMANDS), (marketRules, stream) => {
        const events: EngineEvent[] = [];
        const expected: EngineEvent[] = [];
        const engine = new Engine(marketRules, events);
        const reference = new ReferenceEngine(marketRules, expected);
        const ledger = new EventLedger();
        for (const command of stream) {
          const from = events.length;
          const expectedFrom = expected.length;
          expect(engine.execute(command)).toBe(reference.execute(command));
          expect(events.slice(from)).toEqual(expected.slice(expectedFrom));
          const resting = engine.snapshot().orders;
          expect(resting).toEqual(reference.orders());
          expect(engine.verify()).toEqual([]);
          expect(ledger.apply(events.slice(from))).toEqual([]);
          expect(ledger.check(resting)).toEqual([]);
        }
        const depth = engine.depth(3);
        expect(depth.bids).toEqual(reference.depth("buy", 3));
        expect(depth.asks).toEqual(reference.depth("sell", 3));
      }),
      { numRuns: RUNS },
    );
  });

  it("replays identically from a snapshot taken anywhere, sequence numbers included", () => {
    fc.assert(
      fc.property(rules, commands(MAX_COMMANDS), fc.nat(), (marketRules, stream, cut) => {
        const split = cut % (stream.length + 1);
        const original: EngineEvent[] = [];
        const engine = new Engine(marketRules, original);
        for (const command of stream.slice(0, split)) engine.execute(command);
        const saved = JSON.parse(JSON.stringify(engine.snapshot()));
        const replayed: EngineEvent[] = [];
        const restored = Engine.restore(saved, replayed);
        const from = original.length;
        for (const command of stream.slice(split)) {
          engine.execute(command);
          restored.execute(command);
        }
        expect(replayed).toEqual(original.slice(from));
        expect(restored.snapshot()).toEqual(engine.snapshot());
      }),
      { numRuns: RUNS / 3 },
    );
  });
});
