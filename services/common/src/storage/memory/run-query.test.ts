import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { SortCondition } from "../store.js";
import { MemoryStore } from "./memory-store.js";

const bytes = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));

function matches(key: string, sort: SortCondition | undefined): boolean {
  if (sort === undefined) return true;
  if ("eq" in sort) return key === sort.eq;
  if ("lt" in sort) return bytes(key, sort.lt) < 0;
  if ("lte" in sort) return bytes(key, sort.lte) <= 0;
  if ("gt" in sort) return bytes(key, sort.gt) > 0;
  if ("gte" in sort) return bytes(key, sort.gte) >= 0;
  if ("between" in sort) return bytes(key, sort.between[0]) >= 0 && bytes(key, sort.between[1]) <= 0;
  return key.startsWith(sort.beginsWith);
}

/** Short keys over a few characters, so that prefixes, equal keys and UTF-8 order all come up. */
const key = fc.string({ unit: fc.constantFrom("a", "b", "\uffff", "\u{10000}"), minLength: 1, maxLength: 3 });

const sortCondition: fc.Arbitrary<SortCondition | undefined> = fc.oneof(
  fc.constant(undefined),
  key.map((eq) => ({ eq })),
  key.map((lt) => ({ lt })),
  key.map((lte) => ({ lte })),
  key.map((gt) => ({ gt })),
  key.map((gte) => ({ gte })),
  key.map((beginsWith) => ({ beginsWith })),
  fc.tuple(key, key).map(([a, b]): SortCondition => ({ between: bytes(a, b) <= 0 ? [a, b] : [b, a] })),
);

const scenario = fc.record({
  writes: fc.array(fc.record({ sk: key, indexSort: key, deleted: fc.boolean() }), { maxLength: 30 }),
  sort: sortCondition,
  forward: fc.boolean(),
  limit: fc.option(fc.integer({ min: 1, max: 5 }), { nil: undefined }),
});

describe("MemoryStore queries against a naive filter and sort", () => {
  it("returns the same items in the same order, page after page, on the table and an index", async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async ({ writes, sort, forward, limit }) => {
        const store = new MemoryStore();
        const live = new Map<string, string>();
        for (const { sk, indexSort, deleted } of writes) {
          if (deleted) {
            await store.delete({ PK: "P", SK: sk });
            live.delete(sk);
          } else {
            await store.put({ PK: "P", SK: sk, GSI1PK: "G", GSI1SK: indexSort });
            live.set(sk, indexSort);
          }
        }
        const readAll = async (index: "GSI1" | undefined, partition: string) => {
          const items = [];
          let cursor: string | undefined;
          do {
            const page = await store.query({ index, partition, sort, forward, limit, cursor });
            items.push(...page.items);
            cursor = page.cursor;
          } while (cursor !== undefined);
          return items;
        };
        const direction = forward ? 1 : -1;

        const table = await readAll(undefined, "P");
        const expectedKeys = [...live.keys()]
          .filter((sk) => matches(sk, sort))
          .sort((a, b) => direction * bytes(a, b));
        expect(table.map((item) => item.SK)).toEqual(expectedKeys);

        const index = await readAll("GSI1", "G");
        const expectedIndex = [...live].filter(([, indexSort]) => matches(indexSort, sort));
        expect(index.map((item) => item.GSI1SK)).toEqual(
          expectedIndex.map(([, indexSort]) => indexSort).sort((a, b) => direction * bytes(a, b)),
        );
        expect(index.map((item) => item.SK).sort()).toEqual(expectedIndex.map(([sk]) => sk).sort());
      }),
      { numRuns: 300 },
    );
  });
});
