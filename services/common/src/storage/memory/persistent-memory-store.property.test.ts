import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { cond } from "../condition.js";
import type { Query, Store, TransactItem } from "../store.js";
import { MemoryStore } from "./memory-store.js";
import { openPersistentMemoryStore } from "./persistent-memory-store.js";

const PARTITIONS = ["A", "B", "C"];
const SORT_KEYS = ["1", "2", "3", "4"];
const QUERIES: Query[] = [
  ...PARTITIONS.map((partition) => ({ partition })),
  { index: "GSI1", partition: "EVEN" },
  { index: "GSI1", partition: "ODD" },
];

const key = fc.record({ PK: fc.constantFrom(...PARTITIONS), SK: fc.constantFrom(...SORT_KEYS) });

const write: fc.Arbitrary<TransactItem> = fc.oneof(
  fc.record({ key, n: fc.integer({ min: -5, max: 5 }), onlyNew: fc.boolean() }).map(
    ({ key, n, onlyNew }): TransactItem => ({
      kind: "put",
      item: { ...key, n, GSI1PK: n % 2 === 0 ? "EVEN" : "ODD", GSI1SK: `${key.PK}${key.SK}` },
      condition: onlyNew ? cond.notExists("PK") : undefined,
    }),
  ),
  fc
    .record({ key, n: fc.integer({ min: -3, max: 3 }), atLeast: fc.option(fc.integer({ min: -5, max: 5 })) })
    .map(
      ({ key, n, atLeast }): TransactItem => ({
        kind: "update",
        key,
        update: { add: { n }, remove: n === 0 ? ["GSI1PK"] : [] },
        condition: atLeast === null ? undefined : cond.gte("n", atLeast),
      }),
    ),
  key.map((key): TransactItem => ({ kind: "delete", key })),
  fc.record({ key, exists: fc.boolean() }).map(
    ({ key, exists }): TransactItem => ({
      kind: "conditionCheck",
      key,
      condition: exists ? cond.exists("PK") : cond.notExists("PK"),
    }),
  ),
);

type Step =
  | { kind: "write"; write: TransactItem }
  | { kind: "transaction"; items: TransactItem[] }
  | { kind: "reopen" };

const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 6,
    arbitrary: write
      .filter((w) => w.kind !== "conditionCheck")
      .map((w): Step => ({ kind: "write", write: w })),
  },
  {
    weight: 3,
    arbitrary: fc
      .array(write, { minLength: 1, maxLength: 4 })
      .map((items): Step => ({ kind: "transaction", items })),
  },
  { weight: 1, arbitrary: fc.constant<Step>({ kind: "reopen" }) },
);

async function run(store: Store, action: Step): Promise<string> {
  try {
    if (action.kind === "transaction") await store.transactWrite(action.items);
    else if (action.kind === "write") {
      const { write } = action;
      if (write.kind === "put") await store.put(write.item, { condition: write.condition });
      else if (write.kind === "update")
        await store.update(write.key, write.update, { condition: write.condition });
      else if (write.kind === "delete") await store.delete(write.key, { condition: write.condition });
    }
    return "ok";
  } catch (error) {
    return (error as Error).constructor.name;
  }
}

const contents = (store: Store) =>
  Promise.all(QUERIES.map(async (query) => (await store.query(query)).items));

const parents: string[] = [];
afterAll(() => Promise.all(parents.map((dir) => rm(dir, { recursive: true, force: true }))));

describe("a persisted store reopened at any point", () => {
  it("holds what a MemoryStore given the same writes holds, compacting its journal as it goes", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 60, maxLength: 120 }), async (steps) => {
        const parent = await mkdtemp(join(tmpdir(), "bourse-store-property-"));
        parents.push(parent);
        const dir = join(parent, "data");
        const reference = new MemoryStore();
        let store = await openPersistentMemoryStore(dir, { compactJournalAt: 600 });
        try {
          for (const action of steps) {
            if (action.kind === "reopen") {
              store.close();
              store = await openPersistentMemoryStore(dir, { compactJournalAt: 600 });
            } else {
              expect(await run(store, action)).toBe(await run(reference, action));
            }
            expect(await contents(store)).toEqual(await contents(reference));
          }
          store.close();
          store = await openPersistentMemoryStore(dir, { compactJournalAt: 600 });
          expect(await contents(store)).toEqual(await contents(reference));
        } finally {
          store.close();
        }
      }),
      { numRuns: 30, endOnFailure: true },
    );
  });
});
