import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { startChildServer } from "../testing/child-server.js";
import { freePort } from "../testing/free-port.js";
import { testRedisUrl } from "../testing/redis-url.js";
import { busConfigOf, createBus } from "./create-bus.js";
import { MemoryBus } from "./memory-bus.js";
import type { MessageBus } from "./message-bus.js";
import { RedisBus } from "./redis-bus.js";

/** Collects what a subscription hears. */
function listen(bus: MessageBus, channel: string) {
  const heard: string[] = [];
  const subscription = bus.subscribe(channel, (message) => heard.push(message));
  return { heard, subscription };
}

/** The behaviour both adapters share; `make` returns two handles on one bus (two replicas over Redis). */
function busContract(name: string, make: () => { a: MessageBus; b: MessageBus; close(): Promise<void> }) {
  describe(name, () => {
    let a: MessageBus;
    let b: MessageBus;
    let close: () => Promise<void>;
    beforeAll(() => {
      ({ a, b, close } = make());
    });
    afterAll(() => close());

    it("delivers each message to every subscriber of its channel, in publish order", async () => {
      const channel = `c-${randomUUID()}`;
      const first = listen(b, channel);
      const second = listen(b, channel);
      const elsewhere = listen(b, `other-${randomUUID()}`);
      await Promise.all([first.subscription.ready, second.subscription.ready]);
      const sent = Array.from({ length: 200 }, (_, i) => `m${i}`);
      for (const message of sent) a.publish(channel, message);
      await vi.waitFor(() => expect(first.heard).toHaveLength(sent.length), { timeout: 5_000 });
      await vi.waitFor(() => expect(second.heard).toHaveLength(sent.length), { timeout: 5_000 });
      expect(first.heard).toEqual(sent);
      expect(second.heard).toEqual(sent);
      expect(elsewhere.heard).toEqual([]);
      for (const { subscription } of [first, second, elsewhere]) subscription.close();
    });

    it("delivers after the publisher's turn, never inside publish", async () => {
      const channel = `c-${randomUUID()}`;
      const { heard, subscription } = listen(b, channel);
      await subscription.ready;
      a.publish(channel, "later");
      expect(heard).toEqual([]);
      await vi.waitFor(() => expect(heard).toEqual(["later"]), { timeout: 5_000 });
      subscription.close();
    });

    it("stops telling a closed subscription, and keeps telling the others of the channel", async () => {
      const channel = `c-${randomUUID()}`;
      const closed = listen(b, channel);
      const open = listen(b, channel);
      await Promise.all([closed.subscription.ready, open.subscription.ready]);
      closed.subscription.close();
      closed.subscription.close();
      a.publish(channel, "after");
      await vi.waitFor(() => expect(open.heard).toEqual(["after"]), { timeout: 5_000 });
      expect(closed.heard).toEqual([]);
      open.subscription.close();
    });

    it("resubscribes to a channel whose last subscription just closed", async () => {
      const channel = `c-${randomUUID()}`;
      listen(b, channel).subscription.close();
      const again = listen(b, channel);
      await again.subscription.ready;
      a.publish(channel, "still here");
      await vi.waitFor(() => expect(again.heard).toEqual(["still here"]), { timeout: 5_000 });
      again.subscription.close();
    });

    it("keeps delivering to the other subscribers when one throws", async () => {
      const channel = `c-${randomUUID()}`;
      const failing = b.subscribe(channel, () => {
        throw new Error("subscriber bug");
      });
      const { heard, subscription } = listen(b, channel);
      await Promise.all([failing.ready, subscription.ready]);
      a.publish(channel, "one");
      a.publish(channel, "two");
      await vi.waitFor(() => expect(heard).toEqual(["one", "two"]), { timeout: 5_000 });
      failing.close();
      subscription.close();
    });
  });
}

busContract("MemoryBus", () => {
  const bus = new MemoryBus();
  return { a: bus, b: bus, close: () => bus.close() };
});

const redisUrl = testRedisUrl();
describe.skipIf(!redisUrl)("RedisBus", () => {
  const url = redisUrl ?? "";
  busContract("contract", () => {
    const channelPrefix = `test-${randomUUID()}:`;
    const a = new RedisBus({ url, channelPrefix });
    const b = new RedisBus({ url, channelPrefix });
    return { a, b, close: async () => void (await Promise.all([a.close(), b.close()])) };
  });

  it("isolates buses with other channel prefixes", async () => {
    const one = new RedisBus({ url, channelPrefix: `test-${randomUUID()}:` });
    const other = new RedisBus({ url, channelPrefix: `test-${randomUUID()}:` });
    try {
      const mine = listen(one, "shared");
      const theirs = listen(other, "shared");
      await Promise.all([mine.subscription.ready, theirs.subscription.ready]);
      one.publish("shared", "hello");
      await vi.waitFor(() => expect(mine.heard).toEqual(["hello"]), { timeout: 5_000 });
      other.publish("shared", "marker");
      await vi.waitFor(() => expect(theirs.heard).toEqual(["marker"]), { timeout: 5_000 });
    } finally {
      await Promise.all([one.close(), other.close()]);
    }
  });

  it("drops and counts a publish while Redis is unreachable, without throwing", async () => {
    const dropped: string[] = [];
    const bus = new RedisBus({
      url: "redis://127.0.0.1:1",
      publishDropped: (channel) => dropped.push(channel),
    });
    try {
      expect(() => bus.publish("nowhere", "lost")).not.toThrow();
      await vi.waitFor(() => expect(dropped).toEqual(["nowhere"]), { timeout: 10_000 });
      expect(bus.droppedMessages).toBe(1);
    } finally {
      await bus.close();
    }
  });
});

/** A redis-server of the test's own, to stop and start again on the same port. */
async function ownRedis(port: number) {
  const args = ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"];
  return startChildServer("redis-server", "redis-server", args, port);
}

describe.skipIf(!redisUrl)("RedisBus across a Redis outage", () => {
  it("drops what is published while Redis is down, then reconnects and resubscribes by itself", async () => {
    const port = await freePort();
    let server = await ownRedis(port);
    const dropped: string[] = [];
    const url = `redis://127.0.0.1:${port}`;
    const publisher = new RedisBus({ url, publishDropped: (channel) => dropped.push(channel) });
    const subscriber = new RedisBus({ url });
    try {
      const { heard, subscription } = listen(subscriber, "feed");
      await subscription.ready;
      publisher.publish("feed", "before");
      await vi.waitFor(() => expect(heard).toEqual(["before"]), { timeout: 5_000 });

      await server.stop();
      await vi.waitFor(
        () => {
          publisher.publish("feed", "during");
          expect(dropped.length).toBeGreaterThan(0);
        },
        { timeout: 10_000, interval: 50 },
      );
      expect(publisher.droppedMessages).toBe(dropped.length);

      server = await ownRedis(port);
      await vi.waitFor(
        () => {
          publisher.publish("feed", "after");
          expect(heard).toContain("after");
        },
        { timeout: 15_000, interval: 200 },
      );
    } finally {
      await Promise.all([publisher.close(), subscriber.close()]);
      await server.stop();
    }
  });
});

describe("createBus", () => {
  it("uses Redis only when a URL is configured", async () => {
    expect(busConfigOf(undefined)).toEqual({ kind: "memory" });
    expect(busConfigOf("redis://127.0.0.1:6379", "bourse:")).toEqual({
      kind: "redis",
      url: "redis://127.0.0.1:6379",
      channelPrefix: "bourse:",
    });
    const memory = createBus({ kind: "memory" });
    expect(memory).toBeInstanceOf(MemoryBus);
    await memory.close();
  });

  it("reports a subscriber that throws to the observer", async () => {
    const failures: string[] = [];
    const bus = createBus({ kind: "memory" }, { subscriberFailed: (channel) => failures.push(channel) });
    bus.subscribe("c", () => {
      throw new Error("bug");
    });
    bus.publish("c", "x");
    await vi.waitFor(() => expect(failures).toEqual(["c"]));
    await bus.close();
  });
});
