import { type Cache, type CacheEntry, checkCacheTtl } from "./cache.js";

export interface MemoryCacheOptions {
  /** The clock, in epoch milliseconds; tests pass their own to expire entries without waiting. */
  readonly now?: () => number;
}

/** Writes between sweeps of expired entries that were never read again. */
const SWEEP_EVERY = 1024;

/** An in-process cache for a single instance (the embedded default and tests). */
export class MemoryCache implements Cache {
  private readonly entries = new Map<string, { value: string; expiresAt: number }>();
  private readonly now: () => number;
  private writesSinceSweep = 0;

  constructor(options: MemoryCacheOptions = {}) {
    this.now = options.now ?? Date.now;
  }

  async get(key: string): Promise<string | undefined> {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  async getMany(keys: readonly string[]): Promise<(string | undefined)[]> {
    return Promise.all(keys.map((key) => this.get(key)));
  }

  async set(key: string, value: string, ttlMs: number): Promise<void> {
    await this.setMany([{ key, value }], ttlMs);
  }

  async setMany(entries: readonly CacheEntry[], ttlMs: number): Promise<void> {
    checkCacheTtl(ttlMs);
    const expiresAt = this.now() + ttlMs;
    for (const { key, value } of entries) this.entries.set(key, { value, expiresAt });
    this.writesSinceSweep += entries.length;
    if (this.writesSinceSweep >= SWEEP_EVERY) this.sweep();
  }

  async delete(key: string): Promise<void> {
    this.entries.delete(key);
  }

  async close(): Promise<void> {
    this.entries.clear();
  }

  private sweep(): void {
    const now = this.now();
    for (const [key, entry] of this.entries) if (entry.expiresAt <= now) this.entries.delete(key);
    this.writesSinceSweep = 0;
  }
}
