import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { createDynamoDbClient, DynamoDbStore, ensureTable } from "@bourse/common/storage";
import { Role } from "@bourse/proto/bourse/users/v1/user_pb";
import { startUsers } from "@bourse/users/testing";
import { describe, expect, inject, it } from "vitest";

const run = (args: string[], env: Record<string, string>) =>
  promisify(execFile)("npx", ["tsx", "scripts/admin-grant.ts", ...args], { env: { ...process.env, ...env } });

describe("npm run admin:grant / admin:revoke", () => {
  const endpoint = inject("dynamoEndpoint");

  it.skipIf(!endpoint)(
    "promotes and demotes an account on DynamoDB, and exits 1 for an unknown email",
    async () => {
      const tableName = `admin-grant-${Date.now()}`;
      const client = createDynamoDbClient({ region: "us-east-1", endpoint: endpoint ?? undefined });
      await ensureTable(client, tableName);
      client.destroy();
      const store = new DynamoDbStore({ tableName, region: "us-east-1", endpoint: endpoint ?? undefined });
      const h = await startUsers(store);
      try {
        const user = await h.signUp();
        const env = { STORE: "dynamodb", DYNAMODB_ENDPOINT: endpoint ?? "", DYNAMODB_TABLE: tableName };
        expect((await run(["grant", user.email], env)).stdout).toContain(`${user.email} is now admin`);
        expect((await run(["grant", user.email], env)).stdout).toContain("was already admin");
        const admin = await h.auth.login({ email: user.email, password: user.password });
        expect(admin.user?.role).toBe(Role.ADMIN);
        expect((await run(["revoke", user.email], env)).stdout).toContain(`${user.email} is now customer`);
        const customer = await h.auth.login({ email: user.email, password: user.password });
        expect(customer.user?.role).toBe(Role.CUSTOMER);
        await expect(run(["grant", "nobody@example.com"], env)).rejects.toMatchObject({
          code: 1,
          stderr: expect.stringContaining("no account has the email nobody@example.com"),
        });
      } finally {
        await h.stop();
        store.close();
      }
    },
  );

  it("refuses the embedded memory store, which only a running service holds, with exit code 2", async () => {
    await expect(run(["grant", "someone@example.com"], { STORE: "memory" })).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining("ADMIN_EMAIL and ADMIN_PASSWORD"),
    });
  });

  it("explains its usage and names a bad variable", async () => {
    await expect(run(["grant"], {})).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining("usage"),
    });
    await expect(
      run(["grant", "a@example.com"], { STORE: "dynamodb", DYNAMODB_TABLE: "x" }),
    ).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining("DYNAMODB_TABLE") });
  });
});
