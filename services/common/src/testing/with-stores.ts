import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, inject } from "vitest";
import { createDynamoDbClient } from "../storage/dynamodb/client.js";
import { DynamoDbStore } from "../storage/dynamodb/dynamodb-store.js";
import { ensureTable } from "../storage/dynamodb/ensure-table.js";
import { MemoryStore } from "../storage/memory/memory-store.js";
import type { Store } from "../storage/store.js";

/**
 * Runs `suite` twice: on the embedded store and on a fresh table in DynamoDB Local (skipped only
 * outside CI when DynamoDB Local is unavailable). `store()` gives the suite's store once its
 * `beforeAll` hooks run.
 */
export function describeWithStores(name: string, suite: (store: () => Store) => void): void {
  describe(`${name} [memory]`, () => {
    let store: Store | undefined;
    beforeAll(() => {
      store = new MemoryStore();
    });
    suite(() => store as Store);
  });

  const endpoint = inject("dynamoEndpoint");
  describe.skipIf(!endpoint)(`${name} [dynamodb]`, () => {
    let store: DynamoDbStore | undefined;
    beforeAll(async () => {
      const tableName = `test-${randomUUID()}`;
      const client = createDynamoDbClient({ region: "us-east-1", endpoint: endpoint ?? undefined });
      try {
        await ensureTable(client, tableName);
      } finally {
        client.destroy();
      }
      store = new DynamoDbStore({ tableName, region: "us-east-1", endpoint: endpoint ?? undefined });
    });
    afterAll(() => store?.close());
    suite(() => store as Store);
  });
}
