/** How long to keep trying when the lock is busy. Without it, `acquire` makes a single attempt. */
export interface RetryPolicy {
  /** Attempts after the first one. */
  count: number;
  delayMs: number;
  /** Each delay is moved by a random amount in [-jitterMs, +jitterMs] so contenders spread out. */
  jitterMs?: number;
}

export interface AcquireOptions {
  /** Lease length in whole milliseconds. */
  ttlMs: number;
  retry?: RetryPolicy;
  /**
   * The lowest token to issue. The token is the larger of this and the resource's next token, and
   * the counter moves up to it: how a holder seeds a counter the lock store lost (a Redis flush or
   * failover) from the fence stored with the data it protects.
   */
  minToken?: bigint;
}

/** A time-bounded claim on a resource, held until it expires or is released. */
export interface Lease {
  readonly resource: string;
  /**
   * Strictly increasing per resource across successive holders. Writers pass it to the store
   * they protect so that a write from a holder whose lease lapsed can be refused.
   */
  readonly fencingToken: bigint;
  /** When the lease lapses (ms since the epoch, holder's clock); moves forward on `extend`. */
  readonly expiresAt: number;
  /** Pushes the expiry to `ttlMs` from now; throws `LockLostError` if the lease has already lapsed. */
  extend(ttlMs: number): Promise<void>;
  /** Gives the lock up if this lease still holds it. Safe to call more than once. */
  release(): Promise<void>;
}

/** Port for mutual exclusion with leases and fencing tokens. */
export interface LockService {
  /** Throws `LockUnavailableError` when the lock cannot be had within the retry budget. */
  acquire(resource: string, options: AcquireOptions): Promise<Lease>;
  /** A single attempt: the lease, or null when someone else holds the lock. */
  tryAcquire(resource: string, options: Omit<AcquireOptions, "retry">): Promise<Lease | null>;
  /** True when `token` is the newest issued for `resource` and its lease is still held. */
  isCurrentToken(resource: string, token: bigint): Promise<boolean>;
  /** Throws `LockLostError` unless the lease is unexpired and its token is still current. */
  assertCurrent(lease: Lease): Promise<void>;
  close(): Promise<void>;
}

export function checkTtl(ttlMs: number): void {
  if (!Number.isInteger(ttlMs) || ttlMs <= 0) {
    throw new RangeError(`ttlMs must be a positive integer, got ${ttlMs}`);
  }
}

/** Tokens are positive and fit the 64-bit counter of the Redis adapter. */
export const MAX_FENCING_TOKEN = 2n ** 63n - 1n;

export function checkMinToken(minToken: bigint | undefined): void {
  if (minToken !== undefined && (minToken < 1n || minToken > MAX_FENCING_TOKEN)) {
    throw new RangeError(`minToken must be between 1 and 2^63 - 1, got ${minToken}`);
  }
}
