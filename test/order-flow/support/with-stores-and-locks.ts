import { randomUUID } from "node:crypto";
import { type LockService, MemoryLockService, RedisLockService } from "@bourse/common/locks";
import { DynamoDbStore, type Store } from "@bourse/common/storage";
import { describeWithStores, testRedisUrl } from "@bourse/common/testing";
import { afterAll, beforeAll } from "vitest";

/** The store a suite runs on and the locks its services share: in-process with the embedded store, Redis with DynamoDB. */
export interface StoreAndLocks {
  readonly store: Store;
  readonly locks: LockService;
}

/**
 * `describeWithStores`, with the lock service that goes with each store: in-process locks with the
 * embedded store, real Redis (the test redis-server, under a key prefix of this suite) with DynamoDB Local,
 * as a deployment runs them.
 */
export function describeWithStoresAndLocks(
  name: string,
  suite: (infrastructure: () => StoreAndLocks) => void,
): void {
  describeWithStores(name, (store) => {
    let locks: LockService | undefined;
    beforeAll(() => {
      const redisUrl = testRedisUrl();
      if (store() instanceof DynamoDbStore && redisUrl) {
        locks = new RedisLockService({ url: redisUrl, keyPrefix: `order-flow:${randomUUID()}:` });
      } else {
        locks = new MemoryLockService();
      }
    });
    afterAll(() => locks?.close());
    suite(() => ({ store: store(), locks: locks as LockService }));
  });
}
