import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, inject, it } from "vitest";

const run = (env: Record<string, string>) =>
  promisify(execFile)("npx", ["tsx", "scripts/db-init.ts"], { env: { ...process.env, ...env } });

describe("npm run db:init", () => {
  const endpoint = inject("dynamoEndpoint");

  it.skipIf(!endpoint)("creates the table once and then finds it", async () => {
    const env = { DYNAMODB_ENDPOINT: endpoint ?? "", DYNAMODB_TABLE: `db-init-${Date.now()}` };
    expect((await run(env)).stdout).toContain("created and is ACTIVE");
    expect((await run(env)).stdout).toContain("already exists and is ACTIVE");
  });

  it("names a bad variable and exits non-zero", async () => {
    await expect(run({ DYNAMODB_TABLE: "x" })).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining("DYNAMODB_TABLE"),
    });
  });
});
