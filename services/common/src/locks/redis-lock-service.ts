import { Redis } from "ioredis";
import Redlock, { ExecutionError, type Lock } from "redlock";
import { LockLostError, LockUnavailableError } from "./errors.js";
import type { AcquireOptions, Lease, LockService } from "./lock-service.js";
import { checkMinToken, checkTtl } from "./lock-service.js";
import { CHECK_TOKEN_SCRIPT, ISSUE_TOKEN_SCRIPT } from "./redis-scripts.js";

export interface RedisLockServiceOptions {
  url: string;
  /** Prepended to every key, to share one Redis between deployments or tests. */
  keyPrefix?: string;
}

interface Keys {
  lock: string;
  fence: string;
}

/**
 * Lock service on Redis: redlock holds `lock:{resource}` and a per-resource counter in
 * `fence:{resource}` issues fencing tokens. The braces keep both keys in one cluster slot,
 * which the scripts that touch both need.
 */
export class RedisLockService implements LockService {
  private readonly client: Redis;
  private readonly redlock: Redlock;
  private readonly keyPrefix: string;

  constructor(options: RedisLockServiceOptions) {
    this.client = new Redis(options.url);
    this.redlock = new Redlock([this.client], { retryCount: 0, retryDelay: 0, retryJitter: 0 });
    this.keyPrefix = options.keyPrefix ?? "";
  }

  async acquire(resource: string, options: AcquireOptions): Promise<Lease> {
    checkTtl(options.ttlMs);
    checkMinToken(options.minToken);
    const keys = this.keys(resource);
    const retry = options.retry ?? { count: 0, delayMs: 0 };
    let lock: Lock;
    try {
      lock = await this.redlock.acquire([keys.lock], options.ttlMs, {
        retryCount: retry.count,
        retryDelay: retry.delayMs,
        retryJitter: retry.jitterMs ?? 0,
      });
    } catch (error) {
      if (error instanceof ExecutionError) throw new LockUnavailableError(resource, { cause: error });
      throw error;
    }
    let token: unknown;
    try {
      const lowest = (options.minToken ?? 1n).toString();
      token = await this.client.eval(ISSUE_TOKEN_SCRIPT, 2, keys.lock, keys.fence, lock.value, lowest);
    } catch (error) {
      // The script's failure is what the caller needs to see; an unreleased lock expires on its own.
      await releaseLock(this.redlock, lock).catch(() => undefined);
      throw error;
    }
    // nil: the lease lapsed before its token was issued. Anything but digits would be a corrupt counter.
    if (typeof token !== "string" || !/^[1-9][0-9]*$/.test(token)) {
      await releaseLock(this.redlock, lock);
      throw new LockUnavailableError(resource);
    }
    return new RedisLease(this.redlock, resource, BigInt(token), lock);
  }

  async tryAcquire(resource: string, options: Omit<AcquireOptions, "retry">): Promise<Lease | null> {
    try {
      return await this.acquire(resource, { ttlMs: options.ttlMs, minToken: options.minToken });
    } catch (error) {
      if (error instanceof LockUnavailableError) return null;
      throw error;
    }
  }

  async isCurrentToken(resource: string, token: bigint): Promise<boolean> {
    const keys = this.keys(resource);
    const current = await this.client.eval(CHECK_TOKEN_SCRIPT, 2, keys.lock, keys.fence, token.toString());
    return current === 1;
  }

  async assertCurrent(lease: Lease): Promise<void> {
    const current =
      Date.now() < lease.expiresAt && (await this.isCurrentToken(lease.resource, lease.fencingToken));
    if (!current) throw new LockLostError(lease.resource);
  }

  async close(): Promise<void> {
    await this.redlock.quit();
  }

  private keys(resource: string): Keys {
    return { lock: `${this.keyPrefix}lock:{${resource}}`, fence: `${this.keyPrefix}fence:{${resource}}` };
  }
}

class RedisLease implements Lease {
  constructor(
    private readonly redlock: Redlock,
    readonly resource: string,
    readonly fencingToken: bigint,
    private lock: Lock,
  ) {}

  /** redlock's expiry: the requested TTL minus an allowance for clock drift between client and Redis. */
  get expiresAt(): number {
    return this.lock.expiration;
  }

  async extend(ttlMs: number): Promise<void> {
    checkTtl(ttlMs);
    try {
      this.lock = await this.redlock.extend(this.lock, ttlMs, { retryCount: 0 });
    } catch (error) {
      if (error instanceof ExecutionError) throw new LockLostError(this.resource, { cause: error });
      throw error;
    }
  }

  async release(): Promise<void> {
    await releaseLock(this.redlock, this.lock);
  }
}

async function releaseLock(redlock: Redlock, lock: Lock): Promise<void> {
  try {
    await redlock.release(lock, { retryCount: 0 });
  } catch (error) {
    // The lock is already gone or someone else's; a release that cannot reach Redis is also
    // harmless, because the key expires on its own.
    if (!(error instanceof ExecutionError)) throw error;
  }
}
