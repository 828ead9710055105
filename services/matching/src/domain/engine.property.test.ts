import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Engine } from "./engine.js";
import { EventRecorder } from "./event-recorder.js";
import type { EngineEvent } from "./events.js";
import { commands, rules } from "./test-support/arbitraries.js";
import { EventLedger } from "./test-support/ledger.js";
import { ReferenceEngine } from "./test-support/reference-engine.js";

const RUNS = 200;
const MAX_COMMANDS = 200;

describe("engine against the naive reference model", () => {
  it.each([
    ["adjacent ticks", 1, RUNS],
    ["prices spread over several pages", 1499, RUNS / 2],
  ])(
    "produces identical events and books over %s, and keeps every invariant after every command",
    (_name, spacing, runs) => {
      fc.assert(
        fc.property(rules, commands(MAX_COMMANDS, spacing), (marketRules, stream) => {
          const recorder = new EventRecorder();
          const events = recorder.events;
          const expected: EngineEvent[] = [];
          const engine = new Engine(marketRules, recorder);
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
        { numRuns: runs },
      );
    },
  );

  it("replays identically from a snapshot taken anywhere, sequence numbers included", () => {
    fc.assert(
      fc.property(rules, commands(MAX_COMMANDS), fc.nat(), (marketRules, stream, cut) => {
        const split = cut % (stream.length + 1);
        const recorder = new EventRecorder();
        const original = recorder.events;
        const engine = new Engine(marketRules, recorder);
        for (const command of stream.slice(0, split)) engine.execute(command);
        const saved = JSON.parse(JSON.stringify(engine.snapshot()));
        const replay = new EventRecorder();
        const replayed = replay.events;
        const restored = Engine.restore(saved, replay);
        const from = original.length;
        for (const command of stream.slice(split)) {
          engine.execute(command);
          restored.execute(command);
        }
        expect(replayed).toEqual(original.slice(from));
        expect(restored.snapshot()).toEqual(engine.snapshot());
      }),
      { numRuns: Math.floor(RUNS / 3) },
    );
  });
});
