import { describe, expect, it } from "vitest";
import { cond } from "../condition.js";
import { StoreValidationError, TransactionCanceledError } from "../errors.js";
import type { TransactItem } from "../store.js";
import { type MakeStore, rejectionOf, uniquePartition } from "./fixtures.js";

export function transactionContract(makeStore: MakeStore): void {
  describe("transactions", () => {
    it("applies puts, updates, deletes and condition checks together", async () => {
      const store = makeStore();
      const PK = uniquePartition("USER");
      await store.put({ PK, SK: "BAL#USD", available: 100n, held: 0n });
      await store.put({ PK, SK: "OLD" });
      await store.put({ PK, SK: "PROFILE", status: "ACTIVE" });
      await store.transactWrite([
        { kind: "put", item: { PK, SK: "ORDER#1", status: "NEW" }, condition: cond.notExists("PK") },
        {
          kind: "update",
          key: { PK, SK: "BAL#USD" },
          update: { add: { available: -30n, held: 30n } },
          condition: cond.gte("available", 30n),
        },
        { kind: "delete", key: { PK, SK: "OLD" }, condition: cond.exists("PK") },
        { kind: "conditionCheck", key: { PK, SK: "PROFILE" }, condition: cond.eq("status", "ACTIVE") },
      ]);
      const items = (await store.query({ partition: PK })).items;
      expect(items).toEqual([
        { PK, SK: "BAL#USD", available: 70, held: 30 },
        { PK, SK: "ORDER#1", status: "NEW" },
        { PK, SK: "PROFILE", status: "ACTIVE" },
      ]);
    });

    it("writes nothing when one condition fails, and says which items failed", async () => {
      const store = makeStore();
      const PK = uniquePartition("TRADE");
      await store.put({ PK, SK: "BAL", available: 10n });
      await store.put({ PK, SK: "TRADE#1" });
      const error = await rejectionOf(
        store.transactWrite([
          { kind: "update", key: { PK, SK: "BAL" }, update: { add: { available: -5n } } },
          { kind: "put", item: { PK, SK: "TRADE#1", settled: true }, condition: cond.notExists("PK") },
          { kind: "put", item: { PK, SK: "TRADE#2" } },
          { kind: "conditionCheck", key: { PK, SK: "MARKET" }, condition: cond.eq("sequence", 3) },
        ]),
      );
      expect(error).toBeInstanceOf(TransactionCanceledError);
      const canceled = error as TransactionCanceledError;
      expect(canceled.reasons).toEqual(["None", "ConditionalCheckFailed", "None", "ConditionalCheckFailed"]);
      expect(canceled.conditionFailed).toBe(true);
      expect((await store.query({ partition: PK })).items).toEqual([
        { PK, SK: "BAL", available: 10 },
        { PK, SK: "TRADE#1" },
      ]);
    });

    it("is fenced by a condition check on another item", async () => {
      const store = makeStore();
      const market = { PK: uniquePartition("MARKET"), SK: "SEQ" };
      await store.put({ ...market, owner: "matcher-2", epoch: 2 });
      const settleAsStaleOwner = store.transactWrite([
        { kind: "conditionCheck", key: market, condition: cond.eq("epoch", 1) },
        { kind: "put", item: { PK: uniquePartition("TRADE"), SK: "T" } },
      ]);
      const error = await rejectionOf(settleAsStaleOwner);
      expect(error).toBeInstanceOf(TransactionCanceledError);
      expect((error as TransactionCanceledError).reasons).toEqual(["ConditionalCheckFailed", "None"]);
    });

    it("reports a mistyped index key as a validation reason", async () => {
      const store = makeStore();
      const PK = uniquePartition("ORDER");
      const error = await rejectionOf(
        store.transactWrite([
          { kind: "put", item: { PK, SK: "A", GSI1PK: 1, GSI1SK: "x" } },
          { kind: "put", item: { PK, SK: "B" } },
        ]),
      );
      expect(error).toBeInstanceOf(TransactionCanceledError);
      expect((error as TransactionCanceledError).reasons).toEqual(["ValidationError", "None"]);
      expect((await store.query({ partition: PK })).items).toEqual([]);
    });

    it("takes 100 items and refuses 101", async () => {
      const store = makeStore();
      const PK = uniquePartition("BULK");
      const puts = (count: number): TransactItem[] =>
        Array.from({ length: count }, (_, i) => ({
          kind: "put",
          item: { PK, SK: String(i).padStart(3, "0") },
        }));
      await expect(store.transactWrite(puts(101))).rejects.toBeInstanceOf(StoreValidationError);
      expect((await store.query({ partition: PK })).items).toEqual([]);
      await store.transactWrite(puts(100));
      expect((await store.query({ partition: PK })).items).toHaveLength(100);
    });

    it("refuses two operations on one item, an empty transaction and invalid updates", async () => {
      const store = makeStore();
      const PK = uniquePartition("DUP");
      await store.put({ PK, SK: "X", name: "text" });
      const refusals = [
        () =>
          store.transactWrite([
            { kind: "put", item: { PK, SK: "Y" } },
            { kind: "conditionCheck", key: { PK, SK: "Y" }, condition: cond.notExists("PK") },
          ]),
        () => store.transactWrite([]),
        () =>
          store.transactWrite([
            { kind: "put", item: { PK, SK: "Z" } },
            { kind: "update", key: { PK, SK: "X" }, update: { add: { name: 1 } } },
          ]),
      ];
      for (const refuse of refusals) await expect(refuse()).rejects.toBeInstanceOf(StoreValidationError);
      expect((await store.query({ partition: PK })).items).toEqual([{ PK, SK: "X", name: "text" }]);
    });
  });
}
