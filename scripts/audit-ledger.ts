/**
 * `npm run audit:ledger`: checks DESIGN.md §3.1 and §3.2 over the whole DynamoDB table (set
 * DYNAMODB_ENDPOINT for DynamoDB Local) and prints a per-asset summary. Exits 1 on any discrepancy.
 * The check itself is `auditLedger(store)` from `@bourse/ledger`, which tests run on any store.
 */
import { loadConfig, tableNameVar } from "@bourse/common";
import { DynamoDbStore } from "@bourse/common/storage";
import { auditLedger, formatAuditReport } from "@bourse/ledger";
import { z } from "zod";

const schema = z.object({
  DYNAMODB_ENDPOINT: z.url().optional(),
  AWS_REGION: z.string().min(1).default("us-east-1"),
  DYNAMODB_TABLE: tableNameVar,
});

async function main(): Promise<boolean> {
  const config = loadConfig("audit:ledger", schema, process.env);
  const store = new DynamoDbStore({
    tableName: config.DYNAMODB_TABLE,
    region: config.AWS_REGION,
    endpoint: config.DYNAMODB_ENDPOINT,
  });
  try {
    const report = await auditLedger(store);
    console.log(`ledger audit of table ${config.DYNAMODB_TABLE}\n\n${formatAuditReport(report)}`);
    return report.ok;
  } finally {
    store.close();
  }
}

try {
  if (!(await main())) process.exitCode = 1;
} catch (error) {
  console.error(`audit:ledger failed: ${(error as Error).message}`);
  process.exitCode = 2;
}
