import { randomBytes } from "node:crypto";
import { ColocatedServices, createServiceClient, type RunningService, startService } from "@bourse/common";
import { serviceCredentialInterceptor } from "@bourse/common/auth";
import {
  type Lease,
  LockLostError,
  type LockService,
  LockUnavailableError,
  MemoryLockService,
  RedisLockService,
} from "@bourse/common/locks";
import { DynamoDbStore } from "@bourse/common/storage";
import { describeWithStores, rpcError } from "@bourse/common/testing";
import { BookState, MatchingService } from "@bourse/proto/bourse/matching/v1/matching_service_pb";
import { OrderStatus } from "@bourse/proto/bourse/orders/v1/order_enums_pb";
import type { MatchingApi, TradingMarket } from "@bourse/trading";
import { Code } from "@connectrpc/connect";
import { afterAll, beforeAll, expect, inject, it, vi } from "vitest";
import { MARKET_OWNER_HEADER } from "../runtime/market-ownership.js";
import { createMatchingService } from "../server.js";
import { acceptOrder, newAccountId, seedMarket } from "../testing/matching-fixtures.js";

const credential = randomBytes(24).toString("hex");
const LEASE_MS = 900;
const WAIT = { timeout: 20_000, interval: 50 };

/** Locks a replica loses all contact with when it is killed: its leases then just run out in the lock store. */
function killableLocks(locks: LockService): LockService & { kill(): void } {
  let dead = false;
  const cut = (lease: Lease): Lease => ({
    resource: lease.resource,
    fencingToken: lease.fencingToken,
    get expiresAt() {
      return lease.expiresAt;
    },
    extend: (ttlMs) => (dead ? Promise.reject(new LockLostError(lease.resource)) : lease.extend(ttlMs)),
    release: () => (dead ? Promise.resolve() : lease.release()),
  });
  return {
    kill: () => {
      dead = true;
    },
    acquire: async (resource, options) => {
      if (dead) throw new LockUnavailableError(resource);
      return cut(await locks.acquire(resource, options));
    },
    tryAcquire: async (resource, options) => {
      if (dead) return null;
      const lease = await locks.tryAcquire(resource, options);
      return lease && cut(lease);
    },
    isCurrentToken: (resource, token) => locks.isCurrentToken(resource, token),
    assertCurrent: (lease) => locks.assertCurrent(lease),
    close: async () => {},
  };
}

describeWithStores("MatchingService replicas", (store) => {
  let locks: LockService;
  let markets: TradingMarket[];
  const replicas: RunningService[] = [];
  const colocated = new ColocatedServices();

  beforeAll(async () => {
    const redisUrl = inject("redisUrl");
    locks =
      store() instanceof DynamoDbStore && redisUrl
        ? new RedisLockService({ url: redisUrl, keyPrefix: `test:${randomBytes(6).toString("hex")}:` })
        : new MemoryLockService();
    markets = [await seedMarket(store()), await seedMarket(store())];
  });
  afterAll(async () => {
    await Promise.all(replicas.map((replica) => replica.stop()));
    await locks.close();
  });

  async function startReplica(name: string, replicaLocks: LockService, shared?: ColocatedServices) {
    const replica = await startService(createMatchingService(), {
      env: {
        BIND_HOST: "127.0.0.1",
        RPC_PORT: "0",
        ADMIN_PORT: "0",
        LOG_LEVEL: "silent",
        SERVICE_CREDENTIAL: credential,
        MATCHING_MARKETS: markets.map((market) => market.symbol).join(","),
        MATCHING_LEASE_MS: String(LEASE_MS),
        MATCHING_ADVERTISE_URL: `http://${name}.test:50051`,
      },
      store: store(),
      locks: replicaLocks,
      colocated: shared,
    });
    replicas.push(replica);
    const client = (interceptors = [serviceCredentialInterceptor(credential)]) =>
      createServiceClient(MatchingService, { baseUrl: replica.rpcUrl, caller: "test", interceptors });
    return { replica, matching: client(), anonymous: client([]) };
  }

  const ownerOf = async (client: { getBookStatus: MatchingApi["getBookStatus"] }, market: string) =>
    (await client.getBookStatus({ market })).state === BookState.ACTIVE;

  it("splits the markets between replicas; a non-owner names the owner; a dead owner's markets are taken over", async () => {
    const aLocks = killableLocks(locks);
    const a = await startReplica("a", aLocks, colocated);
    const b = await startReplica("b", locks);
    const [first, second] = markets.map((market) => market.symbol) as [string, string];

    // Each replica ends up with one market: the one that owns more waits longer before claiming.
    await vi.waitFor(async () => {
      const owned = await Promise.all(
        [a, b].map(async (r) => [await ownerOf(r.matching, first), await ownerOf(r.matching, second)]),
      );
      expect(owned.flat().filter(Boolean)).toHaveLength(2);
      expect(owned.map((flags) => flags.filter(Boolean).length)).toEqual([1, 1]);
    }, WAIT);
    const aOwns = (await ownerOf(a.matching, first)) ? first : second;
    const bOwns = aOwns === first ? second : first;

    // No credential: refused before anything else.
    const anonymous = await rpcError(a.anonymous.getBookStatus({ market: aOwns }));
    expect(anonymous.code).toBe(Code.Unauthenticated);

    // The non-owner answers unavailable and names the owner.
    const market = markets.find((m) => m.symbol === aOwns) as TradingMarket;
    const order = await acceptOrder(store(), market, {
      accountId: newAccountId(),
      side: "buy",
      price: "100.0",
      quantity: "1.0",
    });
    const bookOrder = { orderId: order.orderId, accountId: order.accountId, market: aOwns };
    const refused = await rpcError(b.matching.submitOrder({ order: bookOrder }));
    expect(refused.code).toBe(Code.Unavailable);
    expect(refused.message).toContain("http://a.test:50051");
    expect(refused.metadata.get(MARKET_OWNER_HEADER)).toBe("http://a.test:50051");

    // In-process, through the colocated API; then over the network, a retry is answered as a replay.
    const inProcess = colocated.lookup<MatchingApi>(MatchingService.typeName);
    const placed = await inProcess?.submitOrder({ order: bookOrder });
    expect(placed?.report).toMatchObject({
      orderId: order.orderId,
      status: OrderStatus.NEW,
      replayed: false,
    });
    const retried = await a.matching.submitOrder({ order: bookOrder });
    expect(retried.report).toMatchObject({ status: OrderStatus.NEW, replayed: true });
    expect((await a.matching.getBookStatus({ market: aOwns })).openOrderCount).toBe(1);

    // Replica a dies without giving anything up: b takes its market once the lease runs out.
    aLocks.kill();
    await vi.waitFor(async () => {
      expect(await ownerOf(b.matching, aOwns)).toBe(true);
      expect(await ownerOf(b.matching, bOwns)).toBe(true);
    }, WAIT);
    const status = await b.matching.getBookStatus({ market: aOwns });
    expect(status.openOrderCount).toBe(1);
    expect(status.fencingToken).toBeGreaterThan(0n);
    const stale = await rpcError(a.matching.submitOrder({ order: bookOrder }));
    expect(stale.code).toBe(Code.Unavailable);
  });
});
