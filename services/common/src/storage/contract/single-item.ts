import { describe, expect, it } from "vitest";
import { cond } from "../condition.js";
import { ConditionFailedError, StoreValidationError } from "../errors.js";
import type { Item } from "../model.js";
import { type MakeStore, uniquePartition } from "./fixtures.js";

export function singleItemContract(makeStore: MakeStore): void {
  describe("single-item writes", () => {
    it("puts, gets and deletes an item", async () => {
      const store = makeStore();
      const key = { PK: uniquePartition("USER"), SK: "PROFILE" };
      expect(await store.get(key)).toBeUndefined();
      await store.put({ ...key, name: "Ada" });
      expect(await store.get(key)).toEqual({ ...key, name: "Ada" });
      expect(await store.get(key, { consistent: false })).toEqual({ ...key, name: "Ada" });
      await store.delete(key);
      expect(await store.get(key)).toBeUndefined();
      await store.delete(key);
    });

    it("put replaces the whole item and leaves out undefined attributes", async () => {
      const store = makeStore();
      const key = { PK: uniquePartition("USER"), SK: "PROFILE" };
      await store.put({ ...key, name: "Ada", email: "ada@example.com" });
      await store.put({ ...key, name: "Grace", email: undefined });
      expect(await store.get(key)).toEqual({ ...key, name: "Grace" });
    });

    it("a create-only put succeeds once, then fails its condition", async () => {
      const store = makeStore();
      const key = { PK: uniquePartition("EMAIL"), SK: "EMAIL" };
      const createOnly = { condition: cond.notExists("PK") };
      await store.put({ ...key, userId: "u1" }, createOnly);
      await expect(store.put({ ...key, userId: "u2" }, createOnly)).rejects.toBeInstanceOf(
        ConditionFailedError,
      );
      expect(await store.get(key)).toEqual({ ...key, userId: "u1" });
    });

    it("a conditional delete only deletes when its condition holds", async () => {
      const store = makeStore();
      const key = { PK: uniquePartition("ORDER"), SK: "ORDER" };
      await store.put({ ...key, status: "FILLED" });
      const whenOpen = { condition: cond.eq("status", "OPEN") };
      await expect(store.delete(key, whenOpen)).rejects.toBeInstanceOf(ConditionFailedError);
      expect(await store.get(key)).toBeDefined();
      await store.delete(key, { condition: cond.eq("status", "FILLED") });
      expect(await store.get(key)).toBeUndefined();
      await expect(store.delete(key, { condition: cond.exists("PK") })).rejects.toBeInstanceOf(
        ConditionFailedError,
      );
    });

    it("evaluates comparisons, begins_with and and/or/not like DynamoDB", async () => {
      const store = makeStore();
      const item: Item = {
        PK: uniquePartition("COND"),
        SK: "X",
        status: "OPEN",
        available: 10,
        big: 2n ** 60n,
        name: "alice",
        tags: ["a", "b"],
        wide: "\uffff",
      };
      await store.put(item);
      const cases = [
        [cond.exists("status"), true],
        [cond.notExists("status"), false],
        [cond.eq("status", "OPEN"), true],
        [cond.eq("status", "CLOSED"), false],
        [cond.ne("status", "CLOSED"), true],
        [cond.eq("missing", "x"), false],
        [cond.ne("missing", "x"), true],
        [cond.gte("available", 5n), true],
        [cond.gt("available", 10), false],
        [cond.lte("available", 10n), true],
        [cond.gt("big", 2n ** 60n - 1n), true],
        [cond.lt("big", 2n ** 60n), false],
        [cond.lt("status", 5), false],
        [cond.not(cond.lt("status", 5)), true],
        [cond.ne("available", "10"), true],
        [cond.lt("missing", 5), false],
        [cond.beginsWith("name", "al"), true],
        [cond.beginsWith("name", "bo"), false],
        [cond.beginsWith("available", "1"), false],
        [cond.eq("tags", ["a", "b"]), true],
        [cond.lt("wide", "\u{10000}"), true],
        [cond.and(cond.eq("status", "OPEN"), cond.gte("available", 11)), false],
        [cond.or(cond.eq("status", "CLOSED"), cond.gte("available", 10)), true],
        [cond.not(cond.and(cond.exists("name"), cond.notExists("missing"))), false],
      ] as const;
      const outcomes = [];
      for (const [condition] of cases) {
        const outcome = await store.put(item, { condition }).then(
          () => true,
          (error: unknown) => (error instanceof ConditionFailedError ? false : error),
        );
        outcomes.push(outcome);
      }
      expect(outcomes).toEqual(cases.map(([, expected]) => expected));
    });

    it("refuses what DynamoDB refuses", async () => {
      const store = makeStore();
      const PK = uniquePartition("BAD");
      const refusals = [
        () => store.put({ PK, SK: "" }),
        () => store.put({ PK: "", SK: "X" }),
        () => store.get({ PK, SK: "" }),
        () => store.put({ PK, SK: "X", GSI1PK: "", GSI1SK: "Y" }),
        () => store.put({ PK, SK: "X", GSI1PK: 7, GSI1SK: "Y" }),
        () => store.put({ PK, SK: "X", huge: 2 ** 60 }),
        () => store.put({ PK, SK: "X", precise: 10n ** 38n + 1n }),
        () => store.put({ PK, SK: "X", when: new Date() as never }),
      ];
      for (const refuse of refusals) await expect(refuse()).rejects.toBeInstanceOf(StoreValidationError);
      expect(await store.get({ PK, SK: "X" })).toBeUndefined();
    });
  });
}
