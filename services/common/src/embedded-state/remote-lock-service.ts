import {
  EmbeddedLockService,
  type Lease as LeaseMessage,
} from "@bourse/proto/bourse/state/v1/embedded_state_pb";
import { type Client, ConnectError, createClient } from "@connectrpc/connect";
import { LockLostError } from "../locks/errors.js";
import {
  type AcquireOptions,
  checkMinToken,
  checkTtl,
  type Lease,
  type LockService,
} from "../locks/lock-service.js";
import { callPort } from "./port-errors.js";
import {
  connectEmbeddedState,
  type EmbeddedStateClientOptions,
  type EmbeddedStateConnection,
} from "./state-transport.js";

type LockClient = Client<typeof EmbeddedLockService>;

/**
 * The locks of the embedded state service (the launcher's MemoryLockService), for a service running in a
 * process of its own under `npm start`. The service keeps each lease under an id; a holder that dies leaves
 * its lease to expire, which is how another process takes a market over after a crash.
 */
export class RemoteLockService implements LockService {
  private readonly connection: EmbeddedStateConnection;
  private readonly client: LockClient;

  constructor(options: EmbeddedStateClientOptions) {
    this.connection = connectEmbeddedState(options);
    this.client = createClient(EmbeddedLockService, this.connection.transport);
  }

  async acquire(resource: string, options: AcquireOptions): Promise<Lease> {
    checkTtl(options.ttlMs);
    checkMinToken(options.minToken);
    const { lease } = await callPort(() =>
      this.client.acquire({
        resource,
        ttlMs: options.ttlMs,
        retry: options.retry,
        minToken: options.minToken,
      }),
    );
    if (lease === undefined) throw new ConnectError("the state service granted no lease");
    return new RemoteLease(this.client, resource, lease);
  }

  async tryAcquire(resource: string, options: Omit<AcquireOptions, "retry">): Promise<Lease | null> {
    checkTtl(options.ttlMs);
    checkMinToken(options.minToken);
    const { lease } = await callPort(() =>
      this.client.tryAcquire({ resource, ttlMs: options.ttlMs, minToken: options.minToken }),
    );
    return lease === undefined ? null : new RemoteLease(this.client, resource, lease);
  }

  async isCurrentToken(resource: string, token: bigint): Promise<boolean> {
    const { current } = await callPort(() => this.client.isCurrentToken({ resource, token }));
    return current;
  }

  async assertCurrent(lease: Lease): Promise<void> {
    if (!(lease instanceof RemoteLease)) {
      if (!(await this.isCurrentToken(lease.resource, lease.fencingToken)))
        throw new LockLostError(lease.resource);
      return;
    }
    await lease.assertCurrent();
  }

  /** Closes this client's connection; leases still held lapse at the end of their TTL. */
  async close(): Promise<void> {
    this.connection.close();
  }
}

class RemoteLease implements Lease {
  readonly fencingToken: bigint;
  private readonly leaseId: string;
  private expiry: number;

  constructor(
    private readonly client: LockClient,
    readonly resource: string,
    lease: LeaseMessage,
  ) {
    this.leaseId = lease.leaseId;
    this.fencingToken = lease.fencingToken;
    this.expiry = Number(lease.expiresAt);
  }

  get expiresAt(): number {
    return this.expiry;
  }

  async extend(ttlMs: number): Promise<void> {
    checkTtl(ttlMs);
    const { expiresAt } = await this.call(() => this.client.extend({ leaseId: this.leaseId, ttlMs }));
    this.expiry = Number(expiresAt);
  }

  async release(): Promise<void> {
    await this.call(() => this.client.release({ leaseId: this.leaseId }));
  }

  async assertCurrent(): Promise<void> {
    await this.call(() => this.client.assertCurrent({ leaseId: this.leaseId }));
  }

  /** The service may not know which resource a lease id was for (it forgets expired leases): this lease does. */
  private async call<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await callPort(call);
    } catch (error) {
      throw error instanceof LockLostError ? new LockLostError(this.resource) : error;
    }
  }
}
