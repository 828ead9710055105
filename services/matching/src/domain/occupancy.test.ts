import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { OCCUPANCY_SLOTS, Occupancy } from "./occupancy.js";

function naiveBelow(taken: Set<number>, slot: number): number {
  for (let candidate = slot - 1; candidate >= 0; candidate--) if (taken.has(candidate)) return candidate;
  return -1;
}

describe("Occupancy", () => {
  const slot = fc.oneof(
    fc.integer({ min: 0, max: OCCUPANCY_SLOTS - 1 }),
    fc.constantFrom(0, 31, 32, 33, 1023, 1024, 1025, OCCUPANCY_SLOTS - 33, OCCUPANCY_SLOTS - 1),
  );

  it("finds the nearest taken slot below any slot, as a linear scan would", () => {
    const operation = fc.record({ take: fc.boolean(), slot });
    fc.assert(
      fc.property(
        fc.array(operation, { maxLength: 200, size: "max" }),
        fc.array(slot, { maxLength: 20 }),
        (ops, probes) => {
          const occupancy = new Occupancy();
          const taken = new Set<number>();
          for (const { take, slot: at } of ops) {
            if (take) {
              occupancy.set(at);
              taken.add(at);
            } else {
              occupancy.clear(at);
              taken.delete(at);
            }
          }
          for (const probe of [...probes, OCCUPANCY_SLOTS, ...taken]) {
            expect(occupancy.below(probe)).toBe(naiveBelow(taken, probe));
          }
          for (const at of taken) expect(occupancy.has(at)).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("reports nothing when empty, and the top slot when full", () => {
    const occupancy = new Occupancy();
    expect(occupancy.below(OCCUPANCY_SLOTS)).toBe(-1);
    occupancy.set(OCCUPANCY_SLOTS - 1);
    occupancy.set(0);
    expect(occupancy.below(OCCUPANCY_SLOTS)).toBe(OCCUPANCY_SLOTS - 1);
    expect(occupancy.below(OCCUPANCY_SLOTS - 1)).toBe(0);
    expect(occupancy.below(0)).toBe(-1);
  });
});
