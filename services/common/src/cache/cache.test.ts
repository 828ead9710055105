import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { testRedisUrl } from "../testing/redis-url.js";
import type { Cache } from "./cache.js";
import { cacheConfigOf, createCache } from "./create-cache.js";
import { MemoryCache } from "./memory-cache.js";
import { RedisCache } from "./redis-cache.js";

/** The behaviour both adapters share. */
function cacheContract(name: string, make: () => Cache) {
  describe(name, () => {
    let cache: Cache;
    beforeAll(() => {
      cache = make();
    });
    afterAll(() => cache.close());

    it("returns what was set and undefined for missing keys", async () => {
      await cache.set("a", "1", 60_000);
      expect(await cache.get("a")).toBe("1");
      expect(await cache.get("missing")).toBeUndefined();
      await cache.set("a", "2", 60_000);
      expect(await cache.get("a")).toBe("2");
    });

    it("reads and writes many keys at once, in order", async () => {
      await cache.setMany(
        [
          { key: "m1", value: "one" },
          { key: "m2", value: '{"json":true}' },
        ],
        60_000,
      );
      expect(await cache.getMany(["m2", "nope", "m1"])).toEqual(['{"json":true}', undefined, "one"]);
      expect(await cache.getMany([])).toEqual([]);
      await cache.setMany([], 60_000);
    });

    it("deletes", async () => {
      await cache.set("d", "x", 60_000);
      await cache.delete("d");
      expect(await cache.get("d")).toBeUndefined();
      await cache.delete("never-set");
    });

    it("forgets a value once its time to live is over", async () => {
      await cache.set("short", "x", 20);
      await vi.waitFor(async () => expect(await cache.get("short")).toBeUndefined(), { timeout: 5_000 });
    });

    it("refuses a TTL below one millisecond", async () => {
      await expect(cache.set("bad", "x", 0)).rejects.toThrow(RangeError);
      await expect(cache.setMany([{ key: "bad", value: "x" }], 1.5)).rejects.toThrow(RangeError);
    });
  });
}

cacheContract("MemoryCache", () => new MemoryCache());

const redisUrl = testRedisUrl();
describe.skipIf(!redisUrl)("RedisCache", () => {
  cacheContract(
    "contract",
    () => new RedisCache({ url: redisUrl ?? "", keyPrefix: `test-${randomUUID()}:` }),
  );

  it("shares values between clients with the same prefix, and isolates other prefixes", async () => {
    const prefix = `test-${randomUUID()}:`;
    const one = new RedisCache({ url: redisUrl ?? "", keyPrefix: prefix });
    const two = new RedisCache({ url: redisUrl ?? "", keyPrefix: prefix });
    const other = new RedisCache({ url: redisUrl ?? "", keyPrefix: `test-${randomUUID()}:` });
    try {
      await one.set("k", "v", 60_000);
      expect(await two.get("k")).toBe("v");
      expect(await other.get("k")).toBeUndefined();
    } finally {
      await Promise.all([one.close(), two.close(), other.close()]);
    }
  });
});

describe("MemoryCache with an injected clock", () => {
  it("expires entries by that clock, not by waiting", async () => {
    let now = 1_000;
    const cache = new MemoryCache({ now: () => now });
    await cache.set("k", "v", 100);
    now = 1_099;
    expect(await cache.get("k")).toBe("v");
    now = 1_100;
    expect(await cache.get("k")).toBeUndefined();
  });
});

describe("createCache", () => {
  it("uses Redis only when a URL is configured", async () => {
    expect(cacheConfigOf(undefined)).toEqual({ kind: "memory" });
    expect(cacheConfigOf("redis://127.0.0.1:6379", "inventory:")).toEqual({
      kind: "redis",
      url: "redis://127.0.0.1:6379",
      keyPrefix: "inventory:",
    });
    const memory = createCache({ kind: "memory" });
    expect(memory).toBeInstanceOf(MemoryCache);
    await memory.close();
  });
});
