import { describe, expect, it } from "vitest";
import { StoreValidationError } from "../errors.js";
import type { Key } from "../model.js";
import { type MakeStore, uniquePartition } from "./fixtures.js";

export function batchReadContract(makeStore: MakeStore): void {
  describe("getMany", () => {
    it("returns one entry per key in the keys' order, undefined where nothing is stored", async () => {
      const store = makeStore();
      const PK = uniquePartition("BATCH");
      await store.put({ PK, SK: "A", n: 1 });
      await store.put({ PK, SK: "C", n: 3 });
      const items = await store.getMany([
        { PK, SK: "C" },
        { PK, SK: "B" },
        { PK, SK: "A" },
        { PK: uniquePartition("BATCH"), SK: "A" },
      ]);
      expect(items).toEqual([{ PK, SK: "C", n: 3 }, undefined, { PK, SK: "A", n: 1 }, undefined]);
    });

    it("answers a key named twice at both places, each a copy of its own", async () => {
      const store = makeStore();
      const key = { PK: uniquePartition("BATCH"), SK: "X" };
      await store.put({ ...key, tags: ["a"] });
      const [first, second] = await store.getMany([key, { ...key }], { consistent: false });
      expect(first).toEqual({ ...key, tags: ["a"] });
      expect(second).toEqual(first);
      expect(second).not.toBe(first);
    });

    it("reads more keys than one batch request holds", async () => {
      const store = makeStore();
      const PK = uniquePartition("BATCH");
      const keys: Key[] = Array.from({ length: 230 }, (_, i) => ({ PK, SK: String(i).padStart(3, "0") }));
      const stored = keys.filter((_, i) => i % 3 === 0);
      await Promise.all(stored.map((key) => store.put({ ...key, at: key.SK })));
      const items = await store.getMany(keys);
      expect(items).toEqual(keys.map((key, i) => (i % 3 === 0 ? { ...key, at: key.SK } : undefined)));
    });

    it("reads nothing for no keys, and refuses a key DynamoDB refuses", async () => {
      const store = makeStore();
      expect(await store.getMany([])).toEqual([]);
      const PK = uniquePartition("BATCH");
      await expect(
        store.getMany([
          { PK, SK: "A" },
          { PK, SK: "" },
        ]),
      ).rejects.toBeInstanceOf(StoreValidationError);
    });
  });
}
