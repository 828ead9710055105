export { type Cache, type CacheEntry, checkCacheTtl } from "./cache.js";
export { type CacheConfig, cacheConfigOf, createCache } from "./create-cache.js";
export { MemoryCache, type MemoryCacheOptions } from "./memory-cache.js";
export { RedisCache, type RedisCacheOptions } from "./redis-cache.js";
