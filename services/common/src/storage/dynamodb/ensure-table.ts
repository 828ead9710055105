import {
  CreateTableCommand,
  type CreateTableCommandInput,
  DescribeTableCommand,
  type DynamoDBClient,
  type TableDescription,
  waitUntilTableExists,
} from "@aws-sdk/client-dynamodb";
import { INDEX_KEYS, INDEX_NAMES, TABLE_KEY } from "../model.js";

const MAX_WAIT_SECONDS = 120;

function tableDefinition(tableName: string): CreateTableCommandInput {
  const attributes = [TABLE_KEY, ...Object.values(INDEX_KEYS)].flatMap(({ partition, sort }) => [
    partition,
    sort,
  ]);
  const keySchema = ({ partition, sort }: { partition: string; sort: string }) => [
    { AttributeName: partition, KeyType: "HASH" as const },
    { AttributeName: sort, KeyType: "RANGE" as const },
  ];
  return {
    TableName: tableName,
    BillingMode: "PAY_PER_REQUEST",
    AttributeDefinitions: attributes.map((name) => ({ AttributeName: name, AttributeType: "S" })),
    KeySchema: keySchema(TABLE_KEY),
    GlobalSecondaryIndexes: INDEX_NAMES.map((name) => ({
      IndexName: name,
      KeySchema: keySchema(INDEX_KEYS[name]),
      Projection: { ProjectionType: "ALL" },
    })),
  };
}

async function describe(client: DynamoDBClient, tableName: string): Promise<TableDescription | undefined> {
  try {
    return (await client.send(new DescribeTableCommand({ TableName: tableName }))).Table;
  } catch (error) {
    if (error instanceof Error && error.name === "ResourceNotFoundException") return undefined;
    throw error;
  }
}

/**
 * Creates the single table (on-demand capacity, `PK`/`SK` and the indexes GSI1 and GSI2) unless it
 * exists, then waits until it is ACTIVE. Says which it did. An existing table must have the indexes.
 */
export async function ensureTable(client: DynamoDBClient, tableName: string): Promise<"created" | "exists"> {
  const existing = await describe(client, tableName);
  if (existing) {
    const indexes = new Set(existing.GlobalSecondaryIndexes?.map((index) => index.IndexName));
    const missing = INDEX_NAMES.filter((name) => !indexes.has(name));
    if (missing.length > 0)
      throw new Error(`table ${tableName} exists without the index(es) ${missing.join(", ")}`);
  } else {
    try {
      await client.send(new CreateTableCommand(tableDefinition(tableName)));
    } catch (error) {
      // Another process may have created it between our look and our create; waiting covers both.
      if (!(error instanceof Error && error.name === "ResourceInUseException")) throw error;
    }
  }
  await waitUntilTableExists({ client, maxWaitTime: MAX_WAIT_SECONDS }, { TableName: tableName });
  return existing ? "exists" : "created";
}
