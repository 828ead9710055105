import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { DescribeTimeToLiveCommand } from "@aws-sdk/client-dynamodb";
import { createDynamoDbClient } from "@bourse/common/storage";
import { describe, expect, inject, it } from "vitest";

const run = (env: Record<string, string>) =>
  promisify(execFile)("npx", ["tsx", "scripts/db-init.ts"], { env: { ...process.env, ...env } });

describe("npm run db:init", () => {
  const endpoint = inject("dynamoEndpoint");

  it.skipIf(!endpoint)("creates the table and turns on its time to live once, then finds both", async () => {
    const env = { DYNAMODB_ENDPOINT: endpoint ?? "", DYNAMODB_TABLE: `db-init-${Date.now()}` };
    const first = (await run(env)).stdout;
    expect(first).toContain("created and is ACTIVE");
    expect(first).toContain("time to live on expiresAt enabled");
    const second = (await run(env)).stdout;
    expect(second).toContain("already exists and is ACTIVE");
    expect(second).toContain("time to live on expiresAt already enabled");
    const client = createDynamoDbClient({ region: "us-east-1", endpoint: endpoint ?? undefined });
    try {
      const { TimeToLiveDescription } = await client.send(
        new DescribeTimeToLiveCommand({ TableName: env.DYNAMODB_TABLE }),
      );
      expect(TimeToLiveDescription).toMatchObject({
        AttributeName: "expiresAt",
        TimeToLiveStatus: "ENABLED",
      });
    } finally {
      client.destroy();
    }
  });

  it("names a bad variable and exits non-zero", async () => {
    await expect(run({ DYNAMODB_TABLE: "x" })).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining("DYNAMODB_TABLE"),
    });
  });
});
