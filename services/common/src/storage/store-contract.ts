import { describe } from "vitest";
import { batchReadContract } from "./contract/batch-reads.js";
import type { MakeStore } from "./contract/fixtures.js";
import { limitContract } from "./contract/limits.js";
import { queryContract } from "./contract/queries.js";
import { singleItemContract } from "./contract/single-item.js";
import { transactionContract } from "./contract/transactions.js";
import { updateContract } from "./contract/updates.js";
import { valueContract } from "./contract/values.js";

/**
 * The storage port's contract: one suite that every adapter must pass, so that the embedded engine
 * and DynamoDB behave alike. `makeStore` is called inside each test; tests use unique partitions, so
 * one table may serve them all.
 */
export function describeStoreContract(name: string, makeStore: MakeStore): void {
  describe(name, () => {
    singleItemContract(makeStore);
    batchReadContract(makeStore);
    updateContract(makeStore);
    queryContract(makeStore);
    transactionContract(makeStore);
    valueContract(makeStore);
    limitContract(makeStore);
  });
}
