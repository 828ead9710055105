import { describe, inject } from "vitest";
import { memoryLockHarness, redisLockHarness } from "../testing/lock-harness.js";
import { lockServiceContract } from "./lock-service-contract.js";

describe("MemoryLockService", () => {
  lockServiceContract(memoryLockHarness);
});

const redisUrl = inject("redisUrl");
describe.skipIf(!redisUrl)("RedisLockService", () => {
  lockServiceContract(() => redisLockHarness(redisUrl ?? ""));
});
