import { expect, it } from "vitest";
import { describeWithStores } from "../testing/with-stores.js";
import { queryAll, queryItems } from "./query-all.js";

describeWithStores("queryAll and queryItems", (store) => {
  const PK = "QUERYALL#1";
  const sortKeys = Array.from({ length: 12 }, (_, i) => `K#${String(i).padStart(2, "0")}`);

  it("read every page of a query, in order", async () => {
    await Promise.all(sortKeys.map((SK) => store().put({ PK, SK })));
    const query = { partition: PK, sort: { beginsWith: "K#" }, limit: 5 };
    expect((await queryAll(store(), query)).map((item) => item.SK)).toEqual(sortKeys);
    const read: string[] = [];
    for await (const item of queryItems(store(), { ...query, forward: false })) read.push(item.SK);
    expect(read).toEqual([...sortKeys].reverse());
  });

  it("stop at `max` items, or when the caller stops iterating", async () => {
    const query = { partition: PK, limit: 5 };
    expect((await queryAll(store(), query, 7)).map((item) => item.SK)).toEqual(sortKeys.slice(0, 7));
    expect(await queryAll(store(), { partition: PK }, 12)).toHaveLength(12);
    const read: string[] = [];
    for await (const item of queryItems(store(), query)) {
      read.push(item.SK);
      if (read.length === 3) break;
    }
    expect(read).toEqual(sortKeys.slice(0, 3));
    expect(await queryAll(store(), { partition: "QUERYALL#EMPTY" })).toEqual([]);
  });
});
