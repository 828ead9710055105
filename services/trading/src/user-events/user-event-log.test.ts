import { randomUUID } from "node:crypto";
import { testRedisUrl } from "@bourse/common/testing";
import { describe, expect, it } from "vitest";
import { MemoryUserEventLog } from "./memory-user-event-log.js";
import { RedisUserEventLog } from "./redis-user-event-log.js";
import { userEventLogContract } from "./user-event-log-contract.js";

const bytes = (text: string) => new TextEncoder().encode(text);

userEventLogContract("MemoryUserEventLog", (kept) => {
  const log = new MemoryUserEventLog({ eventsPerAccount: kept });
  return { a: log, b: log };
});

const redisUrl = testRedisUrl();
describe.skipIf(!redisUrl)("RedisUserEventLog", () => {
  userEventLogContract("on redis-server", (kept) => {
    const keyPrefix = `test:${randomUUID()}:`;
    const open = () => new RedisUserEventLog({ url: redisUrl ?? "", keyPrefix, eventsPerAccount: kept });
    return { a: open(), b: open() };
  });
});

describe("MemoryUserEventLog bounds", () => {
  it("forgets the account appended to least recently, whose next log numbers above the old one", async () => {
    let now = new Date("2030-01-01T00:00:00Z");
    const log = new MemoryUserEventLog({ accounts: 2, now: () => now });
    await log.append([{ accountId: "x", payload: bytes("x1") }]);
    const old = (await log.replay("x")).latest;
    await log.append([{ accountId: "y", payload: bytes("y1") }]);
    await log.append([{ accountId: "z", payload: bytes("z1") }]);
    expect(await log.replay("x", old)).toEqual({ retained: false, latest: 0n });
    now = new Date(now.getTime() + 1);
    await log.append([{ accountId: "x", payload: bytes("x2") }]);
    const renewed = await log.replay("x", old);
    expect(renewed.retained).toBe(false);
    expect(renewed.latest).toBeGreaterThan(old);
  });
});
