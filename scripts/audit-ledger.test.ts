import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { createDynamoDbClient, DynamoDbStore, ensureTable } from "@bourse/common/storage";
import { balanceKey, createLedger } from "@bourse/ledger";
import { describe, expect, inject, it } from "vitest";

const run = (env: Record<string, string>) =>
  promisify(execFile)("npx", ["tsx", "scripts/audit-ledger.ts"], { env: { ...process.env, ...env } });

describe("npm run audit:ledger", () => {
  const endpoint = inject("dynamoEndpoint");

  it.skipIf(!endpoint)(
    "prints a per-asset summary, and exits 1 once a balance disagrees with the ledger",
    async () => {
      const tableName = `audit-${Date.now()}`;
      const client = createDynamoDbClient({ region: "us-east-1", endpoint: endpoint ?? undefined });
      await ensureTable(client, tableName);
      client.destroy();
      const store = new DynamoDbStore({ tableName, region: "us-east-1", endpoint: endpoint ?? undefined });
      try {
        const ledger = createLedger(store);
        await ledger.deposit({
          accountId: "a1",
          asset: "USD",
          scale: 2,
          amount: "100",
          idempotencyKey: "d1",
        });
        await ledger.withdraw({ accountId: "a1", asset: "USD", amount: "25.5", idempotencyKey: "w1" });
        await ledger.hold({ accountId: "a1", asset: "USD", amount: "10", referenceId: "order:1" });
        const env = { DYNAMODB_ENDPOINT: endpoint ?? "", DYNAMODB_TABLE: tableName };
        const { stdout } = await run(env);
        expect(stdout).toMatch(/USD\s+1\s+64\.50\s+10\.00\s+10\.00\s+100\.00\s+25\.50\s+ok/);
        expect(stdout).toContain("ledger balances");
        await store.update(balanceKey("a1", "USD"), { add: { held: -1n, available: 1n } });
        await expect(run(env)).rejects.toMatchObject({
          code: 1,
          stdout: expect.stringContaining("held 999 but open holds reserve 1000"),
        });
      } finally {
        store.close();
      }
    },
  );

  it("names a bad variable and exits non-zero", async () => {
    await expect(run({ DYNAMODB_TABLE: "x" })).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining("DYNAMODB_TABLE"),
    });
  });
});
