/**
 * `npm run db:init`: creates Bourse's single DynamoDB table and its indexes, in AWS or in DynamoDB
 * Local (set DYNAMODB_ENDPOINT), unless it exists, and turns on its time to live (the `expiresAt`
 * attribute, which expires sessions and refresh tokens). Safe to run again.
 */
import { loadConfig, tableNameVar } from "@bourse/common";
import { createDynamoDbClient } from "@bourse/common/storage";
import { z } from "zod";
import { prepareTable } from "./prepare-table.js";

const schema = z.object({
  DYNAMODB_ENDPOINT: z.url().optional(),
  AWS_REGION: z.string().min(1).default("us-east-1"),
  DYNAMODB_TABLE: tableNameVar,
});

async function main(): Promise<void> {
  const config = loadConfig("db:init", schema, process.env);
  const where = config.DYNAMODB_ENDPOINT ?? `AWS region ${config.AWS_REGION}`;
  const client = createDynamoDbClient({ region: config.AWS_REGION, endpoint: config.DYNAMODB_ENDPOINT });
  try {
    for (const line of await prepareTable(client, config.DYNAMODB_TABLE, where)) console.log(line);
  } finally {
    client.destroy();
  }
}

try {
  await main();
} catch (error) {
  console.error(`db:init failed: ${(error as Error).message}`);
  process.exitCode = 1;
}
