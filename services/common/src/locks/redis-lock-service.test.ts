import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { RedisLockService } from "./redis-lock-service.js";

const redisUrl = inject("redisUrl");
const TTL_MS = 10_000;

describe.skipIf(!redisUrl)("RedisLockService on a real Redis", () => {
  let client: Redis;
  let keyPrefix: string;
  let service: RedisLockService;
  beforeAll(() => {
    client = new Redis(redisUrl ?? "");
    keyPrefix = `test:${randomUUID()}:`;
    service = new RedisLockService({ url: redisUrl ?? "", keyPrefix });
  });
  afterAll(() => Promise.all([client.quit(), service.close()]));

  const fenceKey = (resource: string) => `${keyPrefix}fence:{${resource}}`;

  it.each([
    ["1e14", 10n ** 14n],
    ["2^53 + 1", 2n ** 53n + 1n],
  ])("issues exact tokens after a counter seeded at %s", async (_, seed) => {
    const resource = `market-${randomUUID()}`;
    await client.hset(fenceKey(resource), "token", seed.toString());
    const lease = await service.acquire(resource, { ttlMs: TTL_MS });
    expect(lease.fencingToken).toBe(seed + 1n);
    expect(await service.isCurrentToken(resource, seed + 1n)).toBe(true);
    await lease.release();
    const next = await service.acquire(resource, { ttlMs: TTL_MS });
    expect(next.fencingToken).toBe(seed + 2n);
    await next.release();
  });

  it("releases the lease when issuing its token fails, so the lock is not stuck", async () => {
    const resource = `market-${randomUUID()}`;
    await client.hset(fenceKey(resource), "token", "not a number");
    await expect(service.acquire(resource, { ttlMs: TTL_MS })).rejects.toThrow();
    await client.hset(fenceKey(resource), "token", "41");
    const lease = await service.tryAcquire(resource, { ttlMs: TTL_MS });
    expect(lease?.fencingToken).toBe(42n);
    await lease?.release();
  });
});
