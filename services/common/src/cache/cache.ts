/** One value to store under a key. */
export interface CacheEntry {
  readonly key: string;
  readonly value: string;
}

/**
 * The cache port: string values under string keys, each kept for a time to live and then gone. Values are
 * opaque (callers encode them, JSON typically). Two adapters: Redis (shared by every instance) and in-process
 * memory (the embedded default). A cache may lose anything at any time, so it never holds the only copy.
 */
export interface Cache {
  get(key: string): Promise<string | undefined>;
  /** The values of `keys` in order, undefined where missing or expired; one round trip. */
  getMany(keys: readonly string[]): Promise<(string | undefined)[]>;
  /** Stores `value` for `ttlMs` milliseconds (at least 1), replacing any previous value. */
  set(key: string, value: string, ttlMs: number): Promise<void>;
  /** Stores every entry for `ttlMs`; one round trip. */
  setMany(entries: readonly CacheEntry[], ttlMs: number): Promise<void>;
  delete(key: string): Promise<void>;
  /** Releases connections; the cache is not used afterwards. */
  close(): Promise<void>;
}

export function checkCacheTtl(ttlMs: number): void {
  if (!Number.isSafeInteger(ttlMs) || ttlMs < 1)
    throw new RangeError(`cache TTL must be a whole number of ms >= 1`);
}
