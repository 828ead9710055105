import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { describeStoreContract } from "../store-contract.js";
import { createDynamoDbClient } from "./client.js";
import { DynamoDbStore } from "./dynamodb-store.js";
import { ensureTable } from "./ensure-table.js";

const endpoint = inject("dynamoEndpoint");

describe.skipIf(!endpoint)("DynamoDbStore on DynamoDB Local", () => {
  const connection = { region: "us-east-1", endpoint: endpoint ?? undefined };
  const tableName = `contract-${randomUUID()}`;
  const client = createDynamoDbClient(connection);
  let store: DynamoDbStore;

  beforeAll(async () => {
    expect(await ensureTable(client, tableName)).toBe("created");
    store = new DynamoDbStore({ ...connection, tableName });
  });

  afterAll(() => {
    store?.close();
    client.destroy();
  });

  it("ensureTable finds the table it created", async () => {
    expect(await ensureTable(client, tableName)).toBe("exists");
  });

  describeStoreContract("DynamoDbStore", () => store);
});
