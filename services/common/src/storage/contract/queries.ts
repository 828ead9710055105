import { describe, expect, it } from "vitest";
import { InvalidCursorError, StoreValidationError } from "../errors.js";
import type { Item } from "../model.js";
import type { Query, SortCondition, Store } from "../store.js";
import { type MakeStore, uniquePartition } from "./fixtures.js";

async function putAll(store: Store, items: Item[]): Promise<void> {
  await Promise.all(items.map((item) => store.put(item)));
}

/** Reads every page of a query, returning the pages' sort keys. */
async function pages(store: Store, query: Query): Promise<string[][]> {
  const result: string[][] = [];
  let cursor: string | undefined;
  do {
    const page = await store.query({ ...query, cursor });
    result.push(page.items.map((item) => item.SK));
    cursor = page.cursor;
  } while (cursor !== undefined);
  return result;
}

export function queryContract(makeStore: MakeStore): void {
  describe("queries", () => {
    it("selects by sort key condition, in both orders", async () => {
      const store = makeStore();
      const PK = uniquePartition("USER");
      const sortKeys = ["A#01", "A#02", "A#03", "A#04", "A#10", "AB", "B#01"];
      await putAll(
        store,
        sortKeys.map((SK) => ({ PK, SK })),
      );
      const select = async (sort?: SortCondition, forward?: boolean) =>
        (await store.query({ partition: PK, sort, forward })).items.map((item) => item.SK);
      expect(await select()).toEqual(sortKeys);
      expect(await select(undefined, false)).toEqual([...sortKeys].reverse());
      expect(await select({ beginsWith: "A#" })).toEqual(["A#01", "A#02", "A#03", "A#04", "A#10"]);
      expect(await select({ beginsWith: "A#" }, false)).toEqual(["A#10", "A#04", "A#03", "A#02", "A#01"]);
      expect(await select({ between: ["A#02", "A#04"] })).toEqual(["A#02", "A#03", "A#04"]);
      expect(await select({ eq: "A#03" })).toEqual(["A#03"]);
      expect(await select({ eq: "A#05" })).toEqual([]);
      expect(await select({ lt: "A#03" })).toEqual(["A#01", "A#02"]);
      expect(await select({ lte: "A#03" })).toEqual(["A#01", "A#02", "A#03"]);
      expect(await select({ gt: "A#10" })).toEqual(["AB", "B#01"]);
      expect(await select({ gte: "A#10" }, false)).toEqual(["B#01", "AB", "A#10"]);
      expect((await store.query({ partition: uniquePartition("EMPTY") })).items).toEqual([]);
    });

    it("orders sort keys by their UTF-8 bytes", async () => {
      const store = makeStore();
      const PK = uniquePartition("UTF8");
      const sortKeys = ["a", "z", "é", "\uffff", "\u{10000}"];
      await putAll(
        store,
        [...sortKeys].reverse().map((SK) => ({ PK, SK })),
      );
      expect((await store.query({ partition: PK })).items.map((item) => item.SK)).toEqual(sortKeys);
    });

    it("orders keys by their UTF-8 bytes when characters above U+FFFF join keys without them", async () => {
      const store = makeStore();
      const PK = uniquePartition("UTF8");
      const index = uniquePartition("UTF8");
      for (const SK of ["a", "z", "\u{10000}", "é", "\uffff", "b"]) {
        await store.put({ PK, SK, GSI1PK: index, GSI1SK: SK });
      }
      const sorted = ["a", "b", "z", "é", "\uffff", "\u{10000}"];
      expect((await store.query({ partition: PK })).items.map((item) => item.SK)).toEqual(sorted);
      await store.delete({ PK, SK: "\uffff" });
      await store.update({ PK, SK: "b" }, { set: { GSI1SK: "\u{10001}" } });
      const indexed = await store.query({ index: "GSI1", partition: index });
      expect(indexed.items.map((item) => item.SK)).toEqual(["a", "z", "é", "\u{10000}", "b"]);
    });

    it("paginates with a limit and a cursor, forwards and backwards", async () => {
      const store = makeStore();
      const PK = uniquePartition("TRADE");
      const sortKeys = Array.from({ length: 23 }, (_, i) => `T#${String(i).padStart(3, "0")}`);
      await putAll(
        store,
        sortKeys.map((SK) => ({ PK, SK, n: 1 })),
      );
      const forward = await pages(store, { partition: PK, limit: 7 });
      expect(forward.map((page) => page.length)).toEqual([7, 7, 7, 2]);
      expect(forward.flat()).toEqual(sortKeys);
      const backward = await pages(store, {
        partition: PK,
        limit: 10,
        forward: false,
        sort: { gte: "T#005" },
      });
      expect(backward.flat()).toEqual(sortKeys.slice(5).reverse());
    });

    it("returns a cursor when a page fills the limit, even if nothing follows", async () => {
      const store = makeStore();
      const PK = uniquePartition("ORDER");
      await putAll(
        store,
        ["1", "2", "3", "4"].map((SK) => ({ PK, SK })),
      );
      expect((await pages(store, { partition: PK, limit: 2 })).map((page) => page.length)).toEqual([2, 2, 0]);
      expect((await store.query({ partition: PK, limit: 5 })).cursor).toBeUndefined();
    });

    it("queries GSI1 and GSI2, leaving out items without both index keys", async () => {
      const store = makeStore();
      const PK = uniquePartition("ORDER");
      const user = uniquePartition("USER");
      const market = uniquePartition("MARKET");
      await putAll(store, [
        { PK, SK: "O1", GSI1PK: user, GSI1SK: "2024-01-03", GSI2PK: market, GSI2SK: "B" },
        { PK, SK: "O2", GSI1PK: user, GSI1SK: "2024-01-01", GSI2PK: market, GSI2SK: "A" },
        { PK, SK: "O3", GSI1PK: user, GSI1SK: "2024-01-02" },
        { PK, SK: "O4", GSI1PK: user },
        { PK, SK: "O5", GSI2SK: "C" },
      ]);
      const byUser = await store.query({ index: "GSI1", partition: user });
      expect(byUser.items.map((item) => item.SK)).toEqual(["O2", "O3", "O1"]);
      expect(byUser.items[0]).toEqual({
        PK,
        SK: "O2",
        GSI1PK: user,
        GSI1SK: "2024-01-01",
        GSI2PK: market,
        GSI2SK: "A",
      });
      const recent = await store.query({
        index: "GSI1",
        partition: user,
        sort: { gt: "2024-01-01" },
        forward: false,
      });
      expect(recent.items.map((item) => item.SK)).toEqual(["O1", "O3"]);
      const byMarket = await store.query({ index: "GSI2", partition: market });
      expect(byMarket.items.map((item) => item.SK)).toEqual(["O2", "O1"]);
    });

    it("keeps indexes in step with updates and deletes", async () => {
      const store = makeStore();
      const PK = uniquePartition("ORDER");
      const open = uniquePartition("OPEN");
      const key = { PK, SK: "O1" };
      const openOrders = async () => (await store.query({ index: "GSI1", partition: open })).items;
      await store.put({ ...key, GSI1PK: open, GSI1SK: "1" });
      await store.update(key, { set: { GSI1SK: "2", status: "PARTIAL" } });
      expect(await openOrders()).toEqual([{ ...key, GSI1PK: open, GSI1SK: "2", status: "PARTIAL" }]);
      await store.update(key, { remove: ["GSI1PK"] });
      expect(await openOrders()).toEqual([]);
      await store.update(key, { set: { GSI1PK: open } });
      expect(await openOrders()).toHaveLength(1);
      await store.delete(key);
      expect(await openOrders()).toEqual([]);
    });

    it("paginates an index through items that share a sort key", async () => {
      const store = makeStore();
      const PK = uniquePartition("TRADE");
      const market = uniquePartition("MARKET");
      const sortKeys = ["a", "b", "c", "d", "e", "f", "g"];
      await putAll(
        store,
        sortKeys.map((SK) => ({ PK, SK, GSI2PK: market, GSI2SK: SK < "e" ? "0" : SK })),
      );
      const read = await pages(store, { index: "GSI2", partition: market, limit: 3 });
      expect(read.flat().slice(0, 4).sort()).toEqual(["a", "b", "c", "d"]);
      expect(read.flat().slice(4)).toEqual(["e", "f", "g"]);
    });

    it("refuses queries DynamoDB refuses", async () => {
      const store = makeStore();
      const PK = uniquePartition("Q");
      await putAll(
        store,
        ["1", "2"].map((SK) => ({ PK, SK })),
      );
      const { cursor } = await store.query({ partition: PK, limit: 1 });
      const refusals = [
        () => store.query({ partition: "" }),
        () => store.query({ partition: PK, sort: { beginsWith: "" } }),
        () => store.query({ partition: PK, sort: { between: ["b", "a"] } }),
        () => store.query({ partition: PK, limit: 0 }),
      ];
      for (const refuse of refusals) await expect(refuse()).rejects.toBeInstanceOf(StoreValidationError);
      const foreignCursors = [
        () => store.query({ partition: PK, cursor: "not a cursor" }),
        () => store.query({ partition: uniquePartition("Q"), cursor }),
        () => store.query({ index: "GSI1", partition: PK, cursor }),
      ];
      for (const refuse of foreignCursors) await expect(refuse()).rejects.toBeInstanceOf(InvalidCursorError);
    });
  });
}
