import type { Cache } from "./cache.js";
import { MemoryCache } from "./memory-cache.js";
import { RedisCache } from "./redis-cache.js";

export type CacheConfig = { kind: "memory" } | { kind: "redis"; url: string; keyPrefix?: string };

/** Redis when a URL is configured (shared by every instance), otherwise in-process memory. */
export function cacheConfigOf(redisUrl: string | undefined, keyPrefix?: string): CacheConfig {
  return redisUrl === undefined ? { kind: "memory" } : { kind: "redis", url: redisUrl, keyPrefix };
}

export function createCache(config: CacheConfig): Cache {
  switch (config.kind) {
    case "memory":
      return new MemoryCache();
    case "redis":
      return new RedisCache({ url: config.url, keyPrefix: config.keyPrefix });
  }
}
