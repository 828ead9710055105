import { describe, expect, inject, it } from "vitest";
import { createLockService } from "./create-lock-service.js";
import { MemoryLockService } from "./memory-lock-service.js";
import { RedisLockService } from "./redis-lock-service.js";

describe("createLockService", () => {
  it("builds the in-process adapter", async () => {
    const service = createLockService({ kind: "memory" });
    expect(service).toBeInstanceOf(MemoryLockService);
    await service.close();
  });

  const redisUrl = inject("redisUrl");
  it.skipIf(!redisUrl)("builds a Redis adapter that can take a lock", async () => {
    const service = createLockService({ kind: "redis", url: redisUrl ?? "", keyPrefix: "test:factory:" });
    expect(service).toBeInstanceOf(RedisLockService);
    const lease = await service.acquire(`market-${Date.now()}`, { ttlMs: 1_000 });
    await lease.release();
    await service.close();
  });
});
