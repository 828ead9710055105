import { Code } from "@connectrpc/connect";
import { describe, expect, it } from "vitest";
import { boundedHasher, defaultHashingConcurrency } from "./bounded-hasher.js";
import type { PasswordHasher } from "./password-hasher.js";

/** A hasher whose hashes finish only when the test says so, counting how many run at once. */
function gatedHasher() {
  const gates: Array<() => void> = [];
  const state = { running: 0, peak: 0 };
  const hasher: PasswordHasher = {
    async hash() {
      state.running += 1;
      state.peak = Math.max(state.peak, state.running);
      await new Promise<void>((resolve) => gates.push(resolve));
      state.running -= 1;
      return "hash";
    },
    async verify() {
      await this.hash("");
      return false;
    },
  };
  const releaseAll = async () => {
    while (gates.length > 0) {
      for (const release of gates.splice(0)) release();
      await new Promise((resolve) => setImmediate(resolve));
    }
  };
  return { hasher, state, gates, releaseAll };
}

const flush = () => new Promise((resolve) => setImmediate(resolve));

describe("bounded hasher", () => {
  it("runs at most `concurrency` hashes, queues `queue` more and refuses the next with resource_exhausted", async () => {
    const inner = gatedHasher();
    let refusals = 0;
    const hasher = boundedHasher(inner.hasher, { concurrency: 2, queue: 3 }, () => {
      refusals += 1;
    });
    const accepted = Array.from({ length: 5 }, () => hasher.verify("hash", "wrong"));
    await flush();
    expect(inner.state.running).toBe(2);
    await expect(hasher.verify("hash", "wrong")).rejects.toMatchObject({ code: Code.ResourceExhausted });
    const refused = await hasher.hash("x").catch((error) => error);
    expect(refused.metadata.get("retry-after")).toBe("1");
    expect(refusals).toBe(2);
    await inner.releaseAll();
    expect(await Promise.all(accepted)).toEqual([false, false, false, false, false]);
    expect(inner.state.peak).toBe(2);
  });

  it("takes new work again once the queue drains", async () => {
    const inner = gatedHasher();
    const hasher = boundedHasher(inner.hasher, { concurrency: 1, queue: 0 });
    const first = hasher.hash("a");
    await expect(hasher.hash("b")).rejects.toMatchObject({ code: Code.ResourceExhausted });
    await inner.releaseAll();
    await first;
    const again = hasher.hash("c");
    await inner.releaseAll();
    await expect(again).resolves.toBe("hash");
  });

  it("leaves half of libuv's thread pool to everything else by default", () => {
    expect(defaultHashingConcurrency({})).toBeGreaterThanOrEqual(1);
    expect(defaultHashingConcurrency({})).toBeLessThanOrEqual(2);
    expect(defaultHashingConcurrency({ UV_THREADPOOL_SIZE: "1" })).toBe(1);
  });
});
