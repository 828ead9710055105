import { describe, expect, it } from "vitest";
import { cond } from "../condition.js";
import { ConditionFailedError, StoreValidationError } from "../errors.js";
import { type MakeStore, uniquePartition } from "./fixtures.js";

export function updateContract(makeStore: MakeStore): void {
  describe("updates", () => {
    it("creates a missing item and returns the item as it is afterwards", async () => {
      const store = makeStore();
      const key = { PK: uniquePartition("BAL"), SK: "BTC" };
      const created = await store.update(key, { set: { asset: "BTC" }, setIfNotExists: { held: 0n } });
      expect(created).toEqual({ ...key, asset: "BTC", held: 0 });
      expect(await store.get(key)).toEqual(created);
    });

    it("set overwrites, setIfNotExists keeps what exists, remove drops attributes", async () => {
      const store = makeStore();
      const key = { PK: uniquePartition("USER"), SK: "PROFILE" };
      await store.put({ ...key, name: "Ada", createdAt: "2024-01-01", note: "x" });
      const updated = await store.update(key, {
        set: { name: "Grace" },
        setIfNotExists: { createdAt: "2025-01-01", role: "customer" },
        remove: ["note", "missing"],
      });
      expect(updated).toEqual({ ...key, name: "Grace", createdAt: "2024-01-01", role: "customer" });
    });

    it("adds to counters atomically, a missing attribute counting as zero", async () => {
      const store = makeStore();
      const key = { PK: uniquePartition("MARKET"), SK: "SEQ" };
      await Promise.all(Array.from({ length: 20 }, () => store.update(key, { add: { sequence: 1 } })));
      expect((await store.get(key))?.sequence).toBe(20);
    });

    it("keeps bigint sums exact beyond 2^53 and up to 38 digits", async () => {
      const store = makeStore();
      const key = { PK: uniquePartition("BAL"), SK: "USD" };
      const after = await store.update(key, { add: { available: 2n ** 53n } });
      expect(after.available).toBe(2n ** 53n);
      expect((await store.update(key, { add: { available: 1n } })).available).toBe(2n ** 53n + 1n);
      const max = 10n ** 38n - 1n;
      expect((await store.update(key, { add: { available: max - 2n ** 53n - 1n } })).available).toBe(max);
      expect((await store.update(key, { add: { available: 5n - max } })).available).toBe(5);
      await expect(store.update(key, { add: { available: 10n ** 38n } })).rejects.toBeInstanceOf(
        StoreValidationError,
      );
    });

    it("adds decimals exactly, as DynamoDB does", async () => {
      const store = makeStore();
      const key = { PK: uniquePartition("STATS"), SK: "X" };
      await store.update(key, { add: { total: 0.1 } });
      expect((await store.update(key, { add: { total: 0.2 } })).total).toBe(0.3);
    });

    it("applies only when its condition holds", async () => {
      const store = makeStore();
      const key = { PK: uniquePartition("BAL"), SK: "USD" };
      await store.put({ ...key, available: 10n, held: 0n });
      const hold = (amount: bigint) =>
        store.update(
          key,
          { add: { available: -amount, held: amount } },
          { condition: cond.gte("available", amount) },
        );
      expect(await hold(6n)).toMatchObject({ available: 4, held: 6 });
      await expect(hold(5n)).rejects.toBeInstanceOf(ConditionFailedError);
      expect(await store.get(key)).toMatchObject({ available: 4, held: 6 });
      await expect(
        store.update(
          { PK: uniquePartition("BAL"), SK: "USD" },
          { set: { a: 1 } },
          { condition: cond.exists("PK") },
        ),
      ).rejects.toBeInstanceOf(ConditionFailedError);
    });

    it("refuses updates DynamoDB refuses", async () => {
      const store = makeStore();
      const key = { PK: uniquePartition("BAD"), SK: "X" };
      await store.put({ ...key, name: "text" });
      const refusals = [
        () => store.update(key, { set: { SK: "Y" } }),
        () => store.update(key, { set: { a: 1 }, remove: ["a"] }),
        () => store.update(key, {}),
        () => store.update(key, { add: { name: 1 } }),
        () => store.update(key, { set: { GSI2PK: "" } }),
        () => store.update(key, { add: { GSI1PK: 1 } }),
      ];
      for (const refuse of refusals) await expect(refuse()).rejects.toBeInstanceOf(StoreValidationError);
      expect(await store.get(key)).toEqual({ ...key, name: "text" });
    });
  });
}
