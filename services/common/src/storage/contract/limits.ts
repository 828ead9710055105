import { describe, expect, it } from "vitest";
import { cond } from "../condition.js";
import {
  InvalidCursorError,
  type StoreLimit,
  StoreLimitError,
  StoreValidationError,
  type TransactionCanceledError,
} from "../errors.js";
import { MAX_ITEM_BYTES, MAX_TRANSACTION_BYTES } from "../limits.js";
import type { Item, Value } from "../model.js";
import type { TransactItem } from "../store.js";
import { type MakeStore, rejectionOf, uniquePartition } from "./fixtures.js";

/**
 * Attributes and the bytes each adds to an item (its name included), as measured on DynamoDB Local:
 * the largest padding it accepts next to each one.
 */
const SIZED_ATTRIBUTES: readonly (readonly [string, Record<string, Value>, number])[] = [
  ["an empty string", { a: "" }, 1],
  ["a two-byte name and value", { é: "é" }, 4],
  ["zero", { a: 0 }, 2],
  ["a two-digit number", { a: 12 }, 3],
  ["a three-digit number", { a: 123 }, 4],
  ["a negative number", { a: -12 }, 4],
  ["a fraction across the decimal point", { a: 1.5 }, 4],
  ["a negative fraction", { a: -0.5 }, 4],
  ["a tiny number", { a: 1e-130 }, 3],
  ["38 digits", { a: 10n ** 37n * 9n + 1n }, 21],
  ["38 negative digits", { a: -(10n ** 37n * 9n + 1n) }, 22],
  ["ten bytes", { a: new Uint8Array(10) }, 11],
  ["a boolean", { a: true }, 2],
  ["a null", { a: null }, 2],
  ["an empty list", { a: [] }, 4],
  ["a list", { a: ["ab", 1, false] }, 12],
  ["an empty map", { a: {} }, 4],
  ["a map", { a: { xy: "abc", z: null } }, 13],
  ["nested lists and maps", { a: { k: [{ q: 5 }, []] } }, 21],
];

/** An item padded by `pad` bytes in attribute `d`. */
const keyed = (PK: string, SK: string, pad: number, extra: Record<string, Value> = {}): Item => ({
  PK,
  SK,
  d: "x".repeat(pad),
  ...extra,
});
/** The bytes of an item's key attributes and of the padding's name. */
const overhead = (PK: string, SK: string) => 2 + Buffer.byteLength(PK) + 2 + Buffer.byteLength(SK) + 1;

async function limitOf(promise: Promise<unknown>): Promise<StoreLimit | "accepted"> {
  const outcome = await promise.then(
    () => "accepted" as const,
    (error: unknown) => error,
  );
  if (outcome === "accepted") return outcome;
  if (outcome instanceof StoreLimitError) return outcome.limit;
  throw outcome;
}

export function limitContract(makeStore: MakeStore): void {
  describe("DynamoDB's limits", () => {
    it("takes items of exactly 400 KB and refuses one byte more, however the bytes are made up", async () => {
      const store = makeStore();
      const PK = uniquePartition("SIZE");
      for (const [what, attributes, bytes] of SIZED_ATTRIBUTES) {
        const pad = MAX_ITEM_BYTES - overhead(PK, "S") - bytes;
        const fits = await limitOf(store.put(keyed(PK, "S", pad, attributes)));
        const over = await limitOf(store.put(keyed(PK, "S", pad + 1, attributes)));
        expect({ what, fits, over }).toEqual({ what, fits: "accepted", over: "itemSize" });
      }
    });

    it("refuses an update that grows an item past 400 KB, alone or in a transaction", async () => {
      const store = makeStore();
      const PK = uniquePartition("GROW");
      const item = keyed(PK, "S", MAX_ITEM_BYTES - overhead(PK, "S") - 6);
      await store.put(item);
      expect(await limitOf(store.update({ PK, SK: "S" }, { set: { e: "abcdef" } }))).toBe("itemSize");
      const error = await rejectionOf(
        store.transactWrite([
          { kind: "put", item: { PK, SK: "OTHER" } },
          { kind: "update", key: { PK, SK: "S" }, update: { set: { e: "abcdef" } } },
        ]),
      );
      expect((error as TransactionCanceledError).reasons).toEqual(["None", "ValidationError"]);
      await store.update({ PK, SK: "S" }, { set: { e: "abcde" } });
      expect((await store.query({ partition: PK })).items).toEqual([{ ...item, e: "abcde" }]);
    });

    it("refuses a transaction that puts an oversized item, writing nothing", async () => {
      const store = makeStore();
      const PK = uniquePartition("TXSIZE");
      const oversized = keyed(PK, "BIG", MAX_ITEM_BYTES);
      const outcome = store.transactWrite([
        { kind: "put", item: { PK, SK: "SMALL" } },
        { kind: "put", item: oversized },
      ]);
      expect(await limitOf(outcome)).toBe("itemSize");
      expect((await store.query({ partition: PK })).items).toEqual([]);
    });

    it("takes a transaction whose puts add up to 4 MB and refuses one byte more", async () => {
      const store = makeStore();
      const PK = uniquePartition("TX4MB");
      const full = MAX_ITEM_BYTES - overhead(PK, "00");
      const puts = (last: number): TransactItem[] => [
        ...Array.from({ length: 10 }, (_, i) => ({ kind: "put" as const, item: keyed(PK, `0${i}`, full) })),
        { kind: "put", item: keyed(PK, "10", last) },
      ];
      const rest = MAX_TRANSACTION_BYTES - 10 * MAX_ITEM_BYTES - overhead(PK, "10");
      expect(await limitOf(store.transactWrite(puts(rest + 1)))).toBe("transactionSize");
      expect((await store.query({ partition: PK, limit: 1 })).items).toEqual([]);
      await store.transactWrite(puts(rest));
      expect((await store.query({ partition: PK, sort: { eq: "10" } })).items).toHaveLength(1);
    });

    it("limits partition keys to 2048 bytes and sort keys to 1024, counted in UTF-8", async () => {
      const store = makeStore();
      const PK = uniquePartition("KEY");
      const longPK = PK + "p".repeat(2048 - PK.length);
      expect(await limitOf(store.put({ PK: longPK, SK: "é".repeat(512) }))).toBe("accepted");
      expect(await store.get({ PK: longPK, SK: "é".repeat(512) })).toBeDefined();
      const refusals = [
        () => store.put({ PK: `${longPK}p`, SK: "S" }),
        () => store.put({ PK, SK: "é".repeat(513) }),
        () => store.get({ PK: `${longPK}p`, SK: "S" }),
        () => store.get({ PK, SK: "s".repeat(1025) }),
        () => store.update({ PK, SK: "s".repeat(1025) }, { set: { a: 1 } }),
        () => store.delete({ PK: `${longPK}p`, SK: "S" }),
        () => store.put({ PK, SK: "S", GSI1PK: "g".repeat(2049), GSI1SK: "x" }),
        () => store.put({ PK, SK: "S", GSI2SK: "x".repeat(1025) }),
        () => store.update({ PK, SK: "S" }, { set: { GSI1SK: "x".repeat(1025) } }),
        () => store.query({ partition: PK, sort: { beginsWith: "x".repeat(1025) } }),
        () => store.query({ partition: PK, sort: { between: ["a", "b".repeat(1025)] } }),
      ];
      for (const refuse of refusals) expect(await limitOf(refuse())).toBe("keySize");
      expect(
        await limitOf(store.put({ PK, SK: "S", GSI1PK: "g".repeat(2048), GSI1SK: "x".repeat(1024) })),
      ).toBe("accepted");
      expect((await store.query({ partition: `${longPK}p` })).items).toEqual([]);
    });

    it("fails only the transaction item whose table key is too long; an index key fails the request", async () => {
      const store = makeStore();
      const PK = uniquePartition("TXKEY");
      const error = await rejectionOf(
        store.transactWrite([
          { kind: "put", item: { PK, SK: "A" } },
          { kind: "conditionCheck", key: { PK, SK: "s".repeat(1025) }, condition: cond.exists("PK") },
        ]),
      );
      expect((error as TransactionCanceledError).reasons).toEqual(["None", "ValidationError"]);
      const indexKey = store.transactWrite([
        { kind: "put", item: { PK, SK: "A" } },
        { kind: "put", item: { PK, SK: "B", GSI1PK: "g", GSI1SK: "x".repeat(1025) } },
      ]);
      expect(await limitOf(indexKey)).toBe("keySize");
      expect((await store.query({ partition: PK })).items).toEqual([]);
    });

    it("refuses values nested more than 31 deep", async () => {
      const store = makeStore();
      const PK = uniquePartition("DEEP");
      const maps = (depth: number): Value => (depth === 0 ? "x" : { k: maps(depth - 1) });
      const lists = (depth: number): Value => (depth === 0 ? "x" : [lists(depth - 1)]);
      expect(await limitOf(store.put({ PK, SK: "S", a: lists(31) }))).toBe("accepted");
      expect(await limitOf(store.put({ PK, SK: "S", a: maps(31) }))).toBe("accepted");
      expect(await limitOf(store.put({ PK, SK: "S", a: lists(32) }))).toBe("nesting");
      expect(await limitOf(store.update({ PK, SK: "S" }, { set: { a: maps(32) } }))).toBe("nesting");
    });

    it("refuses empty map keys wherever a value goes", async () => {
      const store = makeStore();
      const PK = uniquePartition("EMPTYKEY");
      await store.put({ PK, SK: "S" });
      const refusals = [
        () => store.put({ PK, SK: "S", m: { "": 1 } }),
        () => store.put({ PK, SK: "S", list: [{ ok: { "": "x" } }] }),
        () => store.update({ PK, SK: "S" }, { set: { m: { "": 1 } } }),
        () => store.put({ PK, SK: "S" }, { condition: cond.eq("m", { "": 1 }) }),
        () => store.transactWrite([{ kind: "put", item: { PK, SK: "T", m: { "": 1 } } }]),
      ];
      for (const refuse of refusals) await expect(refuse()).rejects.toBeInstanceOf(StoreValidationError);
      expect((await store.query({ partition: PK })).items).toEqual([{ PK, SK: "S" }]);
    });

    it("refuses a cursor outside the query's key range instead of answering an empty page", async () => {
      const store = makeStore();
      const PK = uniquePartition("RANGE");
      const user = uniquePartition("USER");
      await Promise.all(
        ["A#1", "A#2", "A#3", "B#1", "B#2"].map((SK) => store.put({ PK, SK, GSI1PK: user, GSI1SK: SK })),
      );
      const { cursor } = await store.query({ partition: PK, sort: { beginsWith: "B#" }, limit: 1 });
      const { cursor: indexCursor } = await store.query({
        index: "GSI1",
        partition: user,
        sort: { beginsWith: "B#" },
        limit: 1,
      });
      const outside = [
        () => store.query({ partition: PK, sort: { beginsWith: "A#" }, cursor }),
        () => store.query({ partition: PK, sort: { beginsWith: "A#" }, cursor, forward: false }),
        () => store.query({ partition: PK, sort: { lt: "B#1" }, cursor }),
        () => store.query({ partition: PK, sort: { gt: "B#1" }, cursor }),
        () => store.query({ partition: PK, sort: { eq: "B#2" }, cursor }),
        () => store.query({ partition: PK, sort: { between: ["A#1", "A#9"] }, cursor }),
        () => store.query({ index: "GSI1", partition: user, sort: { lte: "A#9" }, cursor: indexCursor }),
      ];
      for (const query of outside) await expect(query()).rejects.toBeInstanceOf(InvalidCursorError);
      const inside = await store.query({ partition: PK, sort: { gte: "B#1" }, cursor });
      expect(inside.items.map((item) => item.SK)).toEqual(["B#2"]);
      const atPrefix = await store.query({ partition: PK, sort: { beginsWith: "B#1" }, cursor });
      expect(atPrefix.items).toEqual([]);
    });
  });
}
