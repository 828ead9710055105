import { randomUUID } from "node:crypto";
import { cond, DynamoDbStore } from "@bourse/common/storage";
import { closedLoop, type LoadResult } from "./load.js";

/**
 * DynamoDB Local's own rate for the smallest write an order could make: one TransactWriteItems of two
 * items (or `items`), shaped like a hold (a balance counter updated under a condition and new entries put
 * where none exists), through the store adapter the services use. Each lane writes its own balance item, so no
 * two transactions conflict: this is the store's rate, not contention's.
 */
export async function measureRawTransactions(
  endpoint: string,
  tableName: string,
  limit: { seconds: number; concurrency: number },
  items = 2,
): Promise<LoadResult> {
  const store = new DynamoDbStore({ tableName, region: "us-east-1", endpoint });
  const run = randomUUID();
  try {
    return await closedLoop(limit, (lane, index) =>
      store.transactWrite([
        {
          kind: "update",
          key: { PK: `BENCH#${run}#${lane}`, SK: "BALANCE" },
          update: { add: { available: -1n, held: 1n }, set: { updatedAt: new Date().toISOString() } },
          condition: cond.or(cond.notExists("PK"), cond.exists("held")),
        },
        ...Array.from({ length: items - 1 }, (_, entry) => ({
          kind: "put" as const,
          item: { PK: `BENCH#${run}#${lane}`, SK: `ENTRY#${index}#${entry}`, amount: 1n, lane },
          condition: cond.notExists("PK"),
        })),
      ]),
    );
  } finally {
    store.close();
  }
}

/**
 * DynamoDB Local's rate of strongly consistent GetItem of one small item, for comparison: an order's
 * reads cost about this much each.
 */
export async function measureRawGets(
  endpoint: string,
  tableName: string,
  limit: { seconds: number; concurrency: number },
): Promise<LoadResult> {
  const store = new DynamoDbStore({ tableName, region: "us-east-1", endpoint });
  const key = { PK: `BENCH#${randomUUID()}`, SK: "BALANCE" };
  try {
    await store.put({ ...key, available: 1n, held: 0n });
    return await closedLoop(limit, () => store.get(key));
  } finally {
    store.close();
  }
}
