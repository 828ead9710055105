import { expect } from "vitest";
import type { Command } from "../commands.js";
import { Engine } from "../engine.js";
import { EventRecorder } from "../event-recorder.js";
import type { CommandResult, EngineEvent } from "../events.js";
import type { EngineRules } from "../rules.js";
import type { OrderView } from "../snapshot.js";
import { ReferenceEngine } from "./reference-engine.js";

export const OPEN_RULES: EngineRules = { minQuantity: 1, minNotional: 0n };

/** Rule tests run against both, as exchange-core runs one abstract suite against its fast and naive books. */
export const IMPLEMENTATIONS = ["engine", "reference"] as const;
export type Implementation = (typeof IMPLEMENTATIONS)[number];

type Unnumbered<E> = E extends EngineEvent ? Omit<E, "seq"> : never;

/** An event without its sequence number, for comparing what happened rather than when. */
export type Happened = Unnumbered<EngineEvent>;

export interface Harness {
  readonly events: EngineEvent[];
  /** Runs commands and returns the events of the last one, without sequence numbers. */
  run(...commands: Command[]): Happened[];
  /** Runs one command and returns its result code. */
  result(command: Command): CommandResult;
  /** Resting orders, bids then asks, each side in priority order. */
  resting(): OrderView[];
}

export function createHarness(implementation: Implementation, rules: EngineRules = OPEN_RULES): Harness {
  const recorder = new EventRecorder();
  const events = recorder.events;
  const engine = implementation === "engine" ? new Engine(rules, recorder) : null;
  const reference = engine === null ? new ReferenceEngine(rules, events) : null;
  const execute = (command: Command): CommandResult => {
    if (engine === null) return (reference as ReferenceEngine).execute(command);
    const result = engine.execute(command);
    expect(engine.verify()).toEqual([]);
    return result;
  };
  return {
    events,
    run(...commands) {
      let start = events.length;
      for (const command of commands) {
        start = events.length;
        execute(command);
      }
      return events.slice(start).map(({ seq: _seq, ...rest }) => rest as Happened);
    },
    result: execute,
    resting: () =>
      engine === null ? (reference as ReferenceEngine).orders() : [...engine.snapshot().orders],
  };
}
