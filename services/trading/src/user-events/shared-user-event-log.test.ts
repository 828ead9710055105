import { ColocatedServices } from "@bourse/common";
import { testRedisUrl } from "@bourse/common/testing";
import { describe, expect, it } from "vitest";
import { MemoryUserEventLog } from "./memory-user-event-log.js";
import { RedisUserEventLog } from "./redis-user-event-log.js";
import { RemoteUserEventLog } from "./remote-user-event-log.js";
import { acquireUserEventLog } from "./shared-user-event-log.js";

const embeddedState = { url: "http://127.0.0.1:1", credential: "shared-user-event-log-test-credential" };

describe("acquireUserEventLog", () => {
  it("keeps the log in this process without Redis or an embedded state service", async () => {
    const handle = acquireUserEventLog(new ColocatedServices());
    expect(handle.log).toBeInstanceOf(MemoryUserEventLog);
    await handle.release();
  });

  it("uses the launcher's log through the embedded state service, one per process", async () => {
    const colocated = new ColocatedServices();
    const orders = acquireUserEventLog(colocated, undefined, embeddedState);
    const matching = acquireUserEventLog(colocated, undefined, embeddedState);
    expect(orders.log).toBeInstanceOf(RemoteUserEventLog);
    expect(matching.log).toBe(orders.log);
    await orders.release();
    await matching.release();
  });

  const redisUrl = testRedisUrl();
  it.skipIf(!redisUrl)("prefers Redis, shared by every replica, to the embedded state service", async () => {
    const handle = acquireUserEventLog(new ColocatedServices(), redisUrl ?? undefined, embeddedState);
    expect(handle.log).toBeInstanceOf(RedisUserEventLog);
    await handle.release();
  });
});
