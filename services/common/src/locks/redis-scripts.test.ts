import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { CHECK_TOKEN_SCRIPT, ISSUE_TOKEN_SCRIPT } from "./redis-scripts.js";

const redisUrl = inject("redisUrl");

describe.skipIf(!redisUrl)("fencing scripts", () => {
  let client: Redis;
  beforeAll(() => {
    client = new Redis(redisUrl ?? "");
  });
  afterAll(() => client.quit());

  function keys(): [string, string] {
    const id = randomUUID();
    return [`test:${id}:lock`, `test:${id}:fence`];
  }

  function issue(lockKey: string, fenceKey: string, value: string, lowest = "1"): Promise<unknown> {
    return client.eval(ISSUE_TOKEN_SCRIPT, 2, lockKey, fenceKey, value, lowest);
  }

  function check(lockKey: string, fenceKey: string, token: string): Promise<unknown> {
    return client.eval(CHECK_TOKEN_SCRIPT, 2, lockKey, fenceKey, token);
  }

  it("issues no token to a lock value that no longer holds the lock", async () => {
    const [lockKey, fenceKey] = keys();
    expect(await issue(lockKey, fenceKey, "lapsed")).toBeNull();
    await client.set(lockKey, "next-holder");
    expect(await issue(lockKey, fenceKey, "lapsed")).toBeNull();
    expect(await client.exists(fenceKey)).toBe(0);
  });

  it("issues successive tokens to successive holders", async () => {
    const [lockKey, fenceKey] = keys();
    await client.set(lockKey, "first");
    expect(await issue(lockKey, fenceKey, "first")).toBe("1");
    await client.set(lockKey, "second");
    expect(await issue(lockKey, fenceKey, "second")).toBe("2");
  });

  it.each([
    ["1e14", "100000000000000", "100000000000001"],
    ["2^53 + 1", "9007199254740993", "9007199254740994"],
    ["2^63 - 2", "9223372036854775806", "9223372036854775807"],
  ])("issues the exact digits after a counter at %s, never a float's formatting", async (_, seed, next) => {
    const [lockKey, fenceKey] = keys();
    await client.hset(fenceKey, "token", seed);
    await client.set(lockKey, "holder");
    expect(await issue(lockKey, fenceKey, "holder")).toBe(next);
    expect(await check(lockKey, fenceKey, next)).toBe(1);
  });

  it("issues the lowest token when the counter is behind it, and moves the counter up to it", async () => {
    const [lockKey, fenceKey] = keys();
    await client.set(lockKey, "first");
    expect(await issue(lockKey, fenceKey, "first", "9007199254740993")).toBe("9007199254740993");
    expect(await client.hget(fenceKey, "token")).toBe("9007199254740993");
    await client.set(lockKey, "second");
    expect(await issue(lockKey, fenceKey, "second", "17")).toBe("9007199254740994");
    await client.set(lockKey, "third");
    expect(await issue(lockKey, fenceKey, "third", "9007199254740994")).toBe("9007199254740995");
  });

  it("stops accepting a token once another holder has the lock, even before its token is issued", async () => {
    const [lockKey, fenceKey] = keys();
    await client.set(lockKey, "first");
    await issue(lockKey, fenceKey, "first");
    expect(await check(lockKey, fenceKey, "1")).toBe(1);
    expect(await check(lockKey, fenceKey, "2")).toBe(0);

    await client.set(lockKey, "second");
    expect(await check(lockKey, fenceKey, "1")).toBe(0);
  });
});
