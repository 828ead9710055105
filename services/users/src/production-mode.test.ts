import type { ChildProcess } from "node:child_process";
import { generateKeyPairSync, randomUUID } from "node:crypto";
import { fileURLToPath } from "node:url";
import { createDynamoDbClient, ensureTable } from "@bourse/common/storage";
import { launchTypeScript, testRedisUrl } from "@bourse/common/testing";
import { afterEach, describe, expect, inject, it } from "vitest";

const entry = fileURLToPath(new URL("./main.ts", import.meta.url));
const children: ChildProcess[] = [];

/** The users service as its own process, as a container runs it; only `env` is its environment. */
function launch(env: Record<string, string>) {
  const service = launchTypeScript(entry, {
    env: { PATH: process.env.PATH ?? "", BIND_HOST: "127.0.0.1", RPC_PORT: "0", ADMIN_PORT: "0", ...env },
  });
  children.push(service.child);
  return service;
}

afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill("SIGKILL");
});

const production = { BOURSE_ENV: "production", SERVICE_CREDENTIAL: "c".repeat(40) };
const refusal = (setting: string) =>
  new RegExp(`^\\s*- ${setting}: .*\\(refused under BOURSE_ENV=production\\)$`, "m");

describe("the users process under BOURSE_ENV=production", () => {
  it("exits 2 with one line naming the embedded store and the in-process locks", async () => {
    const service = launch(production);
    expect(await service.exited).toBe(2);
    expect(service.output()).toMatch(refusal("STORE"));
    expect(service.output()).toMatch(refusal("LOCKS"));
  });

  it("exits 2 with one line naming generated signing keys and one naming simulated funding", async () => {
    const service = launch({
      ...production,
      STORE: "dynamodb",
      DYNAMODB_ENDPOINT: "http://127.0.0.1:1",
      LOCKS: "redis",
      REDIS_URL: "redis://127.0.0.1:1",
      SIMULATED_FUNDING: "true",
    });
    expect(await service.exited).toBe(2);
    expect(service.output()).toMatch(refusal("JWT_KEYS"));
    expect(service.output()).toMatch(refusal("SIMULATED_FUNDING"));
  });

  const dynamoEndpoint = inject("dynamoEndpoint");
  const redisUrl = testRedisUrl();
  it.skipIf(!dynamoEndpoint || !redisUrl)(
    "starts when fully configured, on DynamoDB and Redis, without the development notice",
    async () => {
      const tableName = `prod-${randomUUID()}`;
      const client = createDynamoDbClient({ region: "us-east-1", endpoint: dynamoEndpoint ?? undefined });
      try {
        await ensureTable(client, tableName);
      } finally {
        client.destroy();
      }
      const pem = generateKeyPairSync("ec", { namedCurve: "P-256" })
        .privateKey.export({ format: "pem", type: "pkcs8" })
        .toString();
      const service = launch({
        ...production,
        STORE: "dynamodb",
        DYNAMODB_TABLE: tableName,
        DYNAMODB_ENDPOINT: dynamoEndpoint ?? "",
        AWS_ACCESS_KEY_ID: "local",
        AWS_SECRET_ACCESS_KEY: "local",
        LOCKS: "redis",
        REDIS_URL: redisUrl ?? "",
        JWT_KEYS: JSON.stringify([{ kid: "prod-key", pem }]),
      });
      const listening = JSON.parse(await service.logLine(/listening/));
      expect(listening.msg).toMatch(/^users listening/);
      const jwks = await fetch(`http://127.0.0.1:${listening.admin_port}/.well-known/jwks.json`);
      const { keys } = (await jwks.json()) as { keys: Array<{ kid: string }> };
      expect(keys.map((key) => key.kid)).toEqual(["prod-key"]);
      expect(service.output()).not.toMatch(/development mode/);
      service.child.kill("SIGTERM");
      expect(await service.exited).toBe(0);
    },
  );

  it("in development, says once that it is a development mode and what it embeds", async () => {
    const service = launch({ SERVICE_CREDENTIAL: production.SERVICE_CREDENTIAL });
    await service.logLine(/listening/);
    const notices = service.output().match(/development mode \(BOURSE_ENV=development\): [^"]*/g);
    expect(notices).toEqual([
      "development mode (BOURSE_ENV=development): in-memory store, in-process locks, generated signing keys (they die with this process), simulated funding; set BOURSE_ENV=production in a cluster",
    ]);
    service.child.kill("SIGTERM");
    expect(await service.exited).toBe(0);
  });
});
