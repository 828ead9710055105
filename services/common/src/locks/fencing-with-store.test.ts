import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { expect, inject, it } from "vitest";
import { cond } from "../storage/condition.js";
import { ConditionFailedError } from "../storage/errors.js";
import type { Store } from "../storage/store.js";
import { describeWithStores } from "../testing/with-stores.js";
import type { Lease } from "./lock-service.js";
import { RedisLockService } from "./redis-lock-service.js";

/**
 * The pattern that keeps a stale owner out (DESIGN.md §3.4): a new holder raises the resource's fence
 * item in the table to its token before it writes, and every write of a holder requires the fence to
 * carry exactly its token. The table, not the lock store, decides who may write.
 */
function raiseFence(store: Store, lease: Lease) {
  return store.update(
    { PK: `FENCE#${lease.resource}`, SK: "FENCE" },
    { set: { fence: lease.fencingToken } },
    { condition: cond.or(cond.notExists("fence"), cond.lt("fence", lease.fencingToken)) },
  );
}

function fencedWrite(store: Store, lease: Lease, value: string) {
  return store.update(
    { PK: `FENCE#${lease.resource}`, SK: "FENCE" },
    { set: { value } },
    { condition: cond.eq("fence", lease.fencingToken) },
  );
}

describeWithStores("fencing tokens checked by the store", (store) => {
  const redisUrl = inject("redisUrl");

  it.skipIf(!redisUrl)(
    "refuses the write of a holder whose Redis lease expired as soon as a new holder raised the fence",
    async () => {
      const keyPrefix = `test:${randomUUID()}:`;
      const first = new RedisLockService({ url: redisUrl ?? "", keyPrefix });
      const second = new RedisLockService({ url: redisUrl ?? "", keyPrefix });
      try {
        const resource = `market-${randomUUID()}`;
        const stale = await first.acquire(resource, { ttlMs: 150 });
        await raiseFence(store(), stale);
        await fencedWrite(store(), stale, "from the first holder");
        await sleep(250);
        const current = await second.acquire(resource, { ttlMs: 5_000 });
        expect(current.fencingToken).toBeGreaterThan(stale.fencingToken);
        await raiseFence(store(), current);

        await expect(fencedWrite(store(), stale, "late write")).rejects.toBeInstanceOf(ConditionFailedError);
        await expect(raiseFence(store(), stale)).rejects.toBeInstanceOf(ConditionFailedError);
        expect((await store().get({ PK: `FENCE#${resource}`, SK: "FENCE" }))?.value).toBe(
          "from the first holder",
        );
        await fencedWrite(store(), current, "from the second holder");
        const item = await store().get({ PK: `FENCE#${resource}`, SK: "FENCE" });
        expect(item?.value).toBe("from the second holder");
        await current.release();
      } finally {
        await Promise.all([first.close(), second.close()]);
      }
    },
  );
});
