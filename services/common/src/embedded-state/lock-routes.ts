import { randomUUID } from "node:crypto";
import {
  EmbeddedLockService,
  type Lease as LeaseMessage,
  LeaseSchema,
} from "@bourse/proto/bourse/state/v1/embedded_state_pb";
import { create } from "@bufbuild/protobuf";
import type { ConnectRouter } from "@connectrpc/connect";
import { LockLostError } from "../locks/errors.js";
import type { Lease, LockService, RetryPolicy } from "../locks/lock-service.js";
import { portHandlers } from "./guard.js";

/**
 * The leases granted to remote holders, by lease id. A holder that dies never releases its lease: the lock
 * lapses at the end of its TTL like any other, and its entry is swept once the lock service says its token
 * is no longer current (lapsed, released or taken over), when nothing could be done with it any more.
 */
class HeldLeases {
  private readonly leases = new Map<string, Lease>();
  /** The size after the last sweep: sweeping again when it doubles keeps the cost per grant constant. */
  private sweptSize = 0;
  private sweeping = false;

  constructor(private readonly locks: LockService) {}

  async add(lease: Lease): Promise<LeaseMessage> {
    if (!this.sweeping && this.leases.size >= Math.max(64, this.sweptSize * 2)) await this.sweep();
    const leaseId = randomUUID();
    this.leases.set(leaseId, lease);
    return messageOf(leaseId, lease);
  }

  /** The lease, or `LockLostError` when it is unknown (released, or swept once lost). */
  get(leaseId: string): Lease {
    const lease = this.leases.get(leaseId);
    if (lease === undefined) throw new LockLostError("");
    return lease;
  }

  delete(leaseId: string): Lease | undefined {
    const lease = this.leases.get(leaseId);
    this.leases.delete(leaseId);
    return lease;
  }

  private async sweep(): Promise<void> {
    this.sweeping = true;
    try {
      for (const [leaseId, lease] of [...this.leases]) {
        if (!(await this.locks.isCurrentToken(lease.resource, lease.fencingToken)))
          this.leases.delete(leaseId);
      }
      this.sweptSize = this.leases.size;
    } finally {
      this.sweeping = false;
    }
  }
}

function messageOf(leaseId: string, lease: Lease) {
  return create(LeaseSchema, {
    leaseId,
    fencingToken: lease.fencingToken,
    expiresAt: BigInt(lease.expiresAt),
  });
}

function retryOf(
  retry: { count: number; delayMs: number; jitterMs: number } | undefined,
): RetryPolicy | undefined {
  return retry === undefined
    ? undefined
    : { count: retry.count, delayMs: retry.delayMs, jitterMs: retry.jitterMs };
}

/** Serves `locks` as EmbeddedLockService, keeping the leases it grants under lease ids. */
export function registerLockRoutes(router: ConnectRouter, locks: LockService, credential: string): void {
  const handler = portHandlers(credential);
  const held = new HeldLeases(locks);
  router.service(EmbeddedLockService, {
    acquire: handler(async (request, context) => {
      const lease = await locks.acquire(request.resource, {
        ttlMs: request.ttlMs,
        retry: retryOf(request.retry),
        minToken: request.minToken,
      });
      // The caller gave up while the lock was being waited for: nobody would ever release it.
      if (context.signal.aborted) {
        await lease.release();
        throw context.signal.reason;
      }
      return { lease: await held.add(lease) };
    }),
    tryAcquire: handler(async (request) => {
      const lease = await locks.tryAcquire(request.resource, {
        ttlMs: request.ttlMs,
        minToken: request.minToken,
      });
      return { lease: lease === null ? undefined : await held.add(lease) };
    }),
    isCurrentToken: handler(async (request) => ({
      current: await locks.isCurrentToken(request.resource, request.token),
    })),
    assertCurrent: handler(async (request) => {
      await locks.assertCurrent(held.get(request.leaseId));
      return {};
    }),
    extend: handler(async (request) => {
      const lease = held.get(request.leaseId);
      try {
        await lease.extend(request.ttlMs);
      } catch (error) {
        if (error instanceof LockLostError) held.delete(request.leaseId);
        throw error;
      }
      return { expiresAt: BigInt(lease.expiresAt) };
    }),
    release: handler(async (request) => {
      await held.delete(request.leaseId)?.release();
      return {};
    }),
  });
}
