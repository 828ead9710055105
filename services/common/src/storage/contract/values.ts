import { describe, expect, it } from "vitest";
import type { Item } from "../model.js";
import { type MakeStore, uniquePartition } from "./fixtures.js";

export function valueContract(makeStore: MakeStore): void {
  describe("values", () => {
    it("round-trips every value type, numbers by the read rule", async () => {
      const store = makeStore();
      const key = { PK: uniquePartition("VALUES"), SK: "X" };
      await store.put({
        ...key,
        text: "",
        yes: true,
        nothing: null,
        fraction: 1.5,
        small: 42n,
        negative: -(2n ** 70n),
        widest: 10n ** 37n * 9n + 1n,
        bytes: new Uint8Array([0, 1, 255]),
        tags: ["a", "b"],
        nested: { amount: 2n ** 64n, list: [1, "two", { three: 3 }] },
      });
      expect(await store.get(key)).toEqual({
        ...key,
        text: "",
        yes: true,
        nothing: null,
        fraction: 1.5,
        small: 42,
        negative: -(2n ** 70n),
        widest: 10n ** 37n * 9n + 1n,
        bytes: new Uint8Array([0, 1, 255]),
        tags: ["a", "b"],
        nested: { amount: 2n ** 64n, list: [1, "two", { three: 3 }] },
      });
    });

    it("hands out copies: changing what was passed or returned changes nothing stored", async () => {
      const store = makeStore();
      const PK = uniquePartition("COPY");
      const item: Item = { PK, SK: "X", tags: ["a"], nested: { n: 1 } };
      await store.put(item);
      (item.tags as string[]).push("mutated");
      const read = await store.get({ PK, SK: "X" });
      (read?.tags as string[] | undefined)?.push("mutated");
      const [queried] = (await store.query({ partition: PK })).items;
      const nested = queried?.nested as Record<string, number> | undefined;
      if (nested) nested.n = 2;
      const updated = await store.update({ PK, SK: "X" }, { set: { extra: 1 } });
      (updated.tags as string[]).push("mutated");
      expect(await store.get({ PK, SK: "X" })).toEqual({
        PK,
        SK: "X",
        tags: ["a"],
        nested: { n: 1 },
        extra: 1,
      });
    });
  });
}
