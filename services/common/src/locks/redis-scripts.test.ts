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

  function issue(lockKey: string, fenceKey: string, value: string): Promise<unknown> {
    return client.eval(ISSUE_TOKEN_SCRIPT, 2, lockKey, fenceKey, value);
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
