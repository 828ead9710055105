import { Redis } from "ioredis";
import { type Cache, type CacheEntry, checkCacheTtl } from "./cache.js";

export interface RedisCacheOptions {
  readonly url: string;
  /** Prepended to every key, to share one Redis between services, deployments or tests. */
  readonly keyPrefix?: string;
}

/** A cache on Redis, shared by every instance: `SET key value PX ttl`, `MGET`, pipelined writes. */
export class RedisCache implements Cache {
  private readonly client: Redis;

  constructor(options: RedisCacheOptions) {
    this.client = new Redis(options.url, { keyPrefix: options.keyPrefix ?? "", lazyConnect: false });
  }

  async get(key: string): Promise<string | undefined> {
    return (await this.client.get(key)) ?? undefined;
  }

  async getMany(keys: readonly string[]): Promise<(string | undefined)[]> {
    if (keys.length === 0) return [];
    const values = await this.client.mget(...keys);
    return values.map((value) => value ?? undefined);
  }

  async set(key: string, value: string, ttlMs: number): Promise<void> {
    checkCacheTtl(ttlMs);
    await this.client.set(key, value, "PX", ttlMs);
  }

  async setMany(entries: readonly CacheEntry[], ttlMs: number): Promise<void> {
    checkCacheTtl(ttlMs);
    if (entries.length === 0) return;
    const pipeline = this.client.pipeline();
    for (const { key, value } of entries) pipeline.set(key, value, "PX", ttlMs);
    const results = (await pipeline.exec()) ?? [];
    const failed = results.find(([error]) => error !== null);
    if (failed) throw failed[0];
  }

  async delete(key: string): Promise<void> {
    await this.client.del(key);
  }

  async close(): Promise<void> {
    await this.client.quit();
  }
}
