import { randomUUID } from "node:crypto";
import { rpcError, testRedisUrl } from "@bourse/common/testing";
import { Code } from "@connectrpc/connect";
import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { createLoginThrottle, type LoginThrottleOptions } from "./login-throttle.js";

function throttleContract(name: string, redis: () => Redis | undefined) {
  describe(name, () => {
    const throttle = (options: Partial<LoginThrottleOptions> = {}) =>
      createLoginThrottle({
        attemptsPerAccount: 3,
        attemptsPerAddress: 5,
        windowSeconds: 60,
        redis: redis(),
        ...options,
      });

    it("refuses the attempt past an account's budget with resource_exhausted and retry-after; other accounts go on", async () => {
      const scopes: string[] = [];
      const limits = throttle({ onThrottled: (scope) => scopes.push(scope) });
      for (let attempt = 0; attempt < 3; attempt += 1) await limits.admit("alice@example.com", undefined);
      const refused = await rpcError(limits.admit("alice@example.com", undefined));
      expect(refused.code).toBe(Code.ResourceExhausted);
      expect(Number(refused.metadata.get("retry-after"))).toBeGreaterThanOrEqual(1);
      expect(Number(refused.metadata.get("retry-after"))).toBeLessThanOrEqual(60);
      expect(scopes).toEqual(["account"]);
      await expect(limits.admit("bob@example.com", undefined)).resolves.toBeUndefined();
    });

    it("refuses an address past its budget across accounts, and lets other addresses in", async () => {
      const limits = throttle();
      for (let attempt = 0; attempt < 5; attempt += 1) {
        await limits.admit(`user${attempt}@example.com`, "203.0.113.9");
      }
      const refused = await rpcError(limits.admit("someone@example.com", "203.0.113.9"));
      expect(refused.code).toBe(Code.ResourceExhausted);
      await expect(limits.admit("someone@example.com", "203.0.113.10")).resolves.toBeUndefined();
    });

    it("counts only failures: a successful sign-in gives its attempt back", async () => {
      const limits = throttle();
      for (let attempt = 0; attempt < 10; attempt += 1) {
        await limits.admit("carol@example.com", "198.51.100.1");
        await limits.succeeded("carol@example.com", "198.51.100.1");
      }
    });
  });
}

throttleContract("login throttle in memory", () => undefined);

const redisUrl = testRedisUrl();
const clients: Redis[] = [];
afterAll(async () => {
  await Promise.all(clients.map((client) => client.quit()));
});
describe.skipIf(!redisUrl)("on Redis", () => {
  throttleContract("login throttle on Redis", () => {
    const client = new Redis(redisUrl ?? "", { keyPrefix: `test-${randomUUID()}:` });
    clients.push(client);
    return client;
  });

  it("shares the budget between replicas", async () => {
    const keyPrefix = `test-${randomUUID()}:`;
    const [one, two] = [new Redis(redisUrl ?? "", { keyPrefix }), new Redis(redisUrl ?? "", { keyPrefix })];
    clients.push(one, two);
    const options = { attemptsPerAccount: 2, attemptsPerAddress: 100, windowSeconds: 60 };
    const first = createLoginThrottle({ ...options, redis: one });
    const second = createLoginThrottle({ ...options, redis: two });
    await first.admit("dave@example.com", undefined);
    await second.admit("dave@example.com", undefined);
    expect((await rpcError(first.admit("dave@example.com", undefined))).code).toBe(Code.ResourceExhausted);
  });
});

describe("login throttle with Redis unreachable", () => {
  it("keeps counting in this process", async () => {
    const client = new Redis("redis://127.0.0.1:1", { lazyConnect: true, enableOfflineQueue: false });
    client.on("error", () => {});
    const limits = createLoginThrottle({
      attemptsPerAccount: 2,
      attemptsPerAddress: 100,
      windowSeconds: 60,
      redis: client,
    });
    await limits.admit("erin@example.com", undefined);
    await limits.admit("erin@example.com", undefined);
    expect((await rpcError(limits.admit("erin@example.com", undefined))).code).toBe(Code.ResourceExhausted);
    client.disconnect();
  });
});
