import { randomUUID } from "node:crypto";
import { createLogger } from "@bourse/common";
import { limiterRedis } from "@bourse/common/rate-limits";
import { startRedisServer, testRedisUrl } from "@bourse/common/testing";
import { Redis } from "ioredis";
import { afterAll, describe, expect, it, vi } from "vitest";
import { createGatewayRateLimiter, type GatewayRateLimiter } from "./gateway-rate-limiter.js";

const limits = {
  GATEWAY_RATE_POINTS_PER_ADDRESS: "20",
  GATEWAY_RATE_POINTS_PER_USER: "10",
  GATEWAY_RATE_WINDOW_SECONDS: "60",
  GATEWAY_LOGIN_ATTEMPTS_PER_ADDRESS: "4",
  GATEWAY_LOGIN_ATTEMPTS_PER_EMAIL: "2",
  GATEWAY_LOGIN_WINDOW_SECONDS: "60",
};

const silent = createLogger("test", { level: "silent" });

/** A fresh address per test, so tests sharing one Redis do not share budgets. */
let addressCounter = 0;
const freshAddress = () => {
  addressCounter += 1;
  return `198.51.${Math.floor(addressCounter / 250)}.${addressCounter % 250}`;
};

function limiterContract(name: string, redis: () => Promise<Redis | undefined>) {
  describe(name, () => {
    const limiter = async () => createGatewayRateLimiter(limits, { redis: await redis(), logger: silent });

    it("refuses an address past its points, saying when to retry, and lets other addresses on", async () => {
      const gateway = await limiter();
      const ip = freshAddress();
      for (let call = 1; call <= 20; call += 1) {
        const decision = await gateway.consumeByAddress(ip, 1);
        expect(decision).toMatchObject({ allowed: true, remaining: 20 - call, retryAfterMs: 0, limit: 20 });
      }
      const refused = await gateway.consumeByAddress(ip, 1);
      expect(refused).toMatchObject({ allowed: false, remaining: 0, limit: 20 });
      expect(refused.retryAfterMs).toBeGreaterThan(0);
      expect(refused.retryAfterMs).toBeLessThanOrEqual(60_000);
      expect((await gateway.consumeByAddress(freshAddress(), 1)).allowed).toBe(true);
    });

    it("charges the cost to a user's own budget, and lets other users on", async () => {
      const gateway = await limiter();
      const userId = `user-${randomUUID()}`;
      expect(await gateway.consumeByUser(userId, 5)).toMatchObject({
        allowed: true,
        remaining: 5,
        limit: 10,
      });
      expect((await gateway.consumeByUser(userId, 5)).allowed).toBe(true);
      const refused = await gateway.consumeByUser(userId, 1);
      expect(refused).toMatchObject({ allowed: false, limit: 10 });
      expect((await gateway.consumeByUser(`user-${randomUUID()}`, 5)).allowed).toBe(true);
    });

    it("counts an IPv6 /64 as one address", async () => {
      const gateway = await limiter();
      const prefix = `2001:db8:${randomUUID().slice(0, 4)}:1`;
      expect((await gateway.consumeByAddress(`${prefix}::1`, 15)).allowed).toBe(true);
      expect((await gateway.consumeByAddress(`${prefix}:ffff::2`, 15)).allowed).toBe(false);
    });

    it("limits logins per email, whatever the letter case and address, and per address", async () => {
      const gateway = await limiter();
      const email = `${randomUUID()}@example.com`;
      expect(await gateway.consumeLogin({ ip: freshAddress(), email })).toMatchObject({
        allowed: true,
        remaining: 1,
      });
      expect((await gateway.consumeLogin({ ip: freshAddress(), email: email.toUpperCase() })).allowed).toBe(
        true,
      );
      const refused = await gateway.consumeLogin({ ip: freshAddress(), email });
      expect(refused).toMatchObject({ allowed: false, limit: 2 });
      expect(refused.retryAfterMs).toBeGreaterThan(0);

      const ip = freshAddress();
      for (let attempt = 0; attempt < 4; attempt += 1) {
        expect((await gateway.consumeLogin({ ip, email: `${randomUUID()}@example.com` })).allowed).toBe(true);
      }
      expect(await gateway.consumeLogin({ ip, email: `${randomUUID()}@example.com` })).toMatchObject({
        allowed: false,
        limit: 4,
      });
    });
  });
}

limiterContract("gateway rate limiter in memory", async () => undefined);

const redisUrl = testRedisUrl();
const clients: Redis[] = [];
afterAll(() => {
  for (const client of clients) client.disconnect();
});
/** A connected client: until it is, the limiter counts in-process, which these tests are not about. */
async function sharedRedis(keyPrefix = `test-${randomUUID()}:`): Promise<Redis> {
  const client = limiterRedis(redisUrl ?? "", silent, "test");
  client.options.keyPrefix = keyPrefix;
  clients.push(client);
  if (client.status !== "ready") await new Promise((resolve) => client.once("ready", resolve));
  return client;
}

/** Waits until `gateway`, which opened its own client, counts in Redis (at start-up it counts in-process). */
async function untilCountingOnRedis(gateway: GatewayRateLimiter, url: string): Promise<void> {
  const probe = new Redis(url);
  try {
    await vi.waitFor(
      async () => {
        const ip = freshAddress();
        await gateway.consumeByAddress(ip, 1);
        expect(await probe.exists(`gateway:address:${ip}`)).toBe(1);
      },
      { timeout: 10_000, interval: 20 },
    );
  } finally {
    probe.disconnect();
  }
}

describe.skipIf(!redisUrl)("on Redis", () => {
  limiterContract("gateway rate limiter on Redis", () => sharedRedis());

  it("shares the budgets between replicas", async () => {
    const keyPrefix = `test-${randomUUID()}:`;
    const one = createGatewayRateLimiter(limits, { redis: await sharedRedis(keyPrefix), logger: silent });
    const two = createGatewayRateLimiter(limits, { redis: await sharedRedis(keyPrefix), logger: silent });
    const ip = freshAddress();
    expect((await one.consumeByAddress(ip, 15)).allowed).toBe(true);
    expect(await two.consumeByAddress(ip, 5)).toMatchObject({ allowed: true, remaining: 0 });
    expect((await one.consumeByAddress(ip, 1)).allowed).toBe(false);
  });

  it("opens its own client from REDIS_URL, and closes it", async () => {
    const gateway = createGatewayRateLimiter({ ...limits, REDIS_URL: redisUrl ?? "" }, { logger: silent });
    await untilCountingOnRedis(gateway, redisUrl ?? "");
    const ip = freshAddress();
    expect((await gateway.consumeByAddress(ip, 20)).allowed).toBe(true);
    const other = createGatewayRateLimiter({ ...limits, REDIS_URL: redisUrl ?? "" }, { logger: silent });
    await untilCountingOnRedis(other, redisUrl ?? "");
    expect((await other.consumeByAddress(ip, 1)).allowed).toBe(false);
    await Promise.all([gateway.close(), other.close()]);
  });
});

describe("gateway rate limiter when Redis goes down", () => {
  it("keeps limiting on the in-process counters and logs the outage once", async () => {
    const redis = await startRedisServer();
    const lines: { level: number; msg: string }[] = [];
    const logger = createLogger("test", {
      destination: {
        write: (line: string) => lines.push(JSON.parse(line) as { level: number; msg: string }),
      },
    });
    const gateway = createGatewayRateLimiter({ ...limits, REDIS_URL: redis.url }, { logger });
    const ip = freshAddress();
    try {
      await untilCountingOnRedis(gateway, redis.url);
      expect(await gateway.consumeByAddress(ip, 5)).toMatchObject({ allowed: true, remaining: 15 });
      await redis.stop();

      // The in-process counters start from nothing: the whole budget, then refusals with a retry time.
      for (let call = 1; call <= 4; call += 1) {
        expect(await gateway.consumeByAddress(ip, 5)).toMatchObject({
          allowed: true,
          remaining: 20 - 5 * call,
        });
      }
      const refused = await gateway.consumeByAddress(ip, 5);
      expect(refused).toMatchObject({ allowed: false, limit: 20 });
      expect(refused.retryAfterMs).toBeGreaterThan(0);
      expect((await gateway.consumeLogin({ ip, email: "erin@example.com" })).allowed).toBe(true);

      const outages = () => lines.filter((line) => line.msg.includes("Redis unreachable"));
      await vi.waitFor(() => expect(outages()).toHaveLength(1), { timeout: 10_000 });
      expect(outages()[0]?.level).toBe(40);
      // ioredis retries every 50 ms, then 100, 150...: several failed reconnections, still one line.
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect((await gateway.consumeByAddress(ip, 5)).allowed).toBe(false);
      expect(outages()).toHaveLength(1);
    } finally {
      await gateway.close();
      await redis.stop();
    }
  });
});
