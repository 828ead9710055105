import { setTimeout as sleep } from "node:timers/promises";
import { LockLostError, LockUnavailableError } from "./errors.js";
import type { AcquireOptions, Lease, LockService, RetryPolicy } from "./lock-service.js";
import { checkMinToken, checkTtl } from "./lock-service.js";

export interface MemoryLockServiceOptions {
  /** Clock used for lease expiry; tests inject one to expire leases without sleeping. */
  now?: () => number;
}

interface Holding {
  token: bigint;
  expiresAt: number;
}

/** What a lease may do to the table that issued it. */
interface LeaseBackend {
  extend(resource: string, token: bigint, ttlMs: number): number;
  release(resource: string, token: bigint): void;
}

/** In-process lock service with the same semantics as the Redis adapter, for tests and single-node runs. */
export class MemoryLockService implements LockService {
  private readonly now: () => number;
  private readonly holdings = new Map<string, Holding>();
  /** Last token issued per resource; kept after release so tokens never go backwards. */
  private readonly lastTokens = new Map<string, bigint>();
  /** Tokens are unique per resource, so a token identifies its lease. */
  private readonly backend: LeaseBackend = {
    extend: (resource, token, ttlMs) => {
      checkTtl(ttlMs);
      const holding = this.liveHolding(resource);
      if (holding?.token !== token) throw new LockLostError(resource);
      holding.expiresAt = this.now() + ttlMs;
      return holding.expiresAt;
    },
    release: (resource, token) => {
      if (this.holdings.get(resource)?.token === token) this.holdings.delete(resource);
    },
  };

  constructor(options: MemoryLockServiceOptions = {}) {
    this.now = options.now ?? Date.now;
  }

  async acquire(resource: string, options: AcquireOptions): Promise<Lease> {
    checkTtl(options.ttlMs);
    checkMinToken(options.minToken);
    const retries = options.retry?.count ?? 0;
    for (let attempt = 0; ; attempt++) {
      const lease = this.attempt(resource, options.ttlMs, options.minToken);
      if (lease) return lease;
      if (!options.retry || attempt >= retries) throw new LockUnavailableError(resource);
      await sleep(retryDelayMs(options.retry));
    }
  }

  async tryAcquire(resource: string, options: Omit<AcquireOptions, "retry">): Promise<Lease | null> {
    checkTtl(options.ttlMs);
    checkMinToken(options.minToken);
    return this.attempt(resource, options.ttlMs, options.minToken);
  }

  async isCurrentToken(resource: string, token: bigint): Promise<boolean> {
    return this.liveHolding(resource)?.token === token;
  }

  async assertCurrent(lease: Lease): Promise<void> {
    if (!(await this.isCurrentToken(lease.resource, lease.fencingToken))) {
      throw new LockLostError(lease.resource);
    }
  }

  async close(): Promise<void> {}

  private attempt(resource: string, ttlMs: number, minToken = 1n): Lease | null {
    if (this.liveHolding(resource)) return null;
    const next = (this.lastTokens.get(resource) ?? 0n) + 1n;
    const token = next > minToken ? next : minToken;
    this.lastTokens.set(resource, token);
    const expiresAt = this.now() + ttlMs;
    this.holdings.set(resource, { token, expiresAt });
    return new MemoryLease(this.backend, resource, token, expiresAt);
  }

  private liveHolding(resource: string): Holding | undefined {
    const holding = this.holdings.get(resource);
    return holding && this.now() < holding.expiresAt ? holding : undefined;
  }
}

class MemoryLease implements Lease {
  constructor(
    private readonly backend: LeaseBackend,
    readonly resource: string,
    readonly fencingToken: bigint,
    private expiry: number,
  ) {}

  get expiresAt(): number {
    return this.expiry;
  }

  async extend(ttlMs: number): Promise<void> {
    this.expiry = this.backend.extend(this.resource, this.fencingToken, ttlMs);
  }

  async release(): Promise<void> {
    this.backend.release(this.resource, this.fencingToken);
  }
}

function retryDelayMs(retry: RetryPolicy): number {
  const jitter = retry.jitterMs ?? 0;
  return Math.max(0, retry.delayMs + Math.round((Math.random() * 2 - 1) * jitter));
}
