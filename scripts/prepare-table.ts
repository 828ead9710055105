import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { ensureTable, ensureTimeToLive, TIME_TO_LIVE_ATTRIBUTE } from "@bourse/common/storage";

/**
 * Creates Bourse's table and its indexes unless it exists, and turns on its time to live; returns what
 * it did, a line each. `npm run db:init` and `npm run dev:deps` both prepare the table here.
 */
export async function prepareTable(client: DynamoDBClient, table: string, where: string): Promise<string[]> {
  const outcome = await ensureTable(client, table);
  const done = outcome === "created" ? "created" : "already exists";
  const timeToLive = await ensureTimeToLive(client, table);
  return [
    `table ${table} (PK/SK, GSI1, GSI2) ${done} and is ACTIVE at ${where}`,
    `time to live on ${TIME_TO_LIVE_ATTRIBUTE} ${timeToLive}`,
  ];
}
