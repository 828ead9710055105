import { MemoryBus } from "@bourse/common/bus";
import { Code, ConnectError } from "@connectrpc/connect";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { MarketFeed } from "./market-feed.js";
import { RemoteMarketFeed } from "./remote-market-feed.js";
import { ReplicaMarketFeeds } from "./replica-market-feeds.js";
import { FakeLocalFeed } from "./test-support/fake-local-feed.js";

const market = "SOL-USD";
const at = new Date("2026-05-06T07:08:09.010Z");

async function codeOf(promise: Promise<unknown>): Promise<Code | undefined> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  return error instanceof ConnectError ? error.code : undefined;
}

describe("ReplicaMarketFeeds", () => {
  let bus: MemoryBus;
  /** What each replica owns: the owner's hub, as far as the feeds see it. */
  let ownedByA: Map<string, MarketFeed>;
  let a: ReplicaMarketFeeds;
  let b: ReplicaMarketFeeds;

  beforeEach(() => {
    bus = new MemoryBus();
    ownedByA = new Map();
    const options = { bus, now: () => at, snapshotTimeoutMs: 200, idleMs: 20 };
    a = new ReplicaMarketFeeds({ ...options, local: (symbol) => ownedByA.get(symbol) });
    b = new ReplicaMarketFeeds({ ...options, local: () => undefined });
  });
  afterEach(async () => {
    a.close();
    b.close();
    await bus.close();
  });

  function ownOnA(): FakeLocalFeed {
    const feed = new FakeLocalFeed(market, at);
    ownedByA.set(market, feed);
    a.started(market);
    return feed;
  }

  it("answers with the local feed where the market is owned, and a shared mirror elsewhere", async () => {
    const local = ownOnA();
    expect(await a.feed(market)).toBe(local);
    const [one, two] = await Promise.all([b.feed(market), b.feed(market)]);
    expect(one).toBeInstanceOf(RemoteMarketFeed);
    expect(two).toBe(one);
    expect(one?.book()).toEqual(local.book());
  });

  it("is unavailable where nobody owns the market, and tries again on the next call", async () => {
    expect(await codeOf(b.feed(market))).toBe(Code.Unavailable);
    ownOnA();
    expect(await b.feed(market)).toBeInstanceOf(RemoteMarketFeed);
  });

  it("closes a mirror nobody uses, and keeps one with a subscriber", async () => {
    ownOnA();
    const idle = (await b.feed(market)) as RemoteMarketFeed;
    await vi.waitFor(() => expect(idle.closed.aborted).toBe(true));

    const used = (await b.feed(market)) as RemoteMarketFeed;
    expect(used).not.toBe(idle);
    const unsubscribe = used.subscribe(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(used.closed.aborted).toBe(false);
    unsubscribe();
    await vi.waitFor(() => expect(used.closed.aborted).toBe(true));
  });

  it("stops answering for a feed that is no longer the market's live one", async () => {
    const local = ownOnA();
    await new Promise((resolve) => setImmediate(resolve));
    ownedByA.delete(market);
    expect(await codeOf(b.feed(market))).toBe(Code.Unavailable);
    ownedByA.set(market, local);
    expect(await b.feed(market)).toBeInstanceOf(RemoteMarketFeed);
    b.close();
    local.close();
    const c = new ReplicaMarketFeeds({ bus, now: () => at, snapshotTimeoutMs: 200, local: () => undefined });
    try {
      expect(await codeOf(c.feed(market))).toBe(Code.Unavailable);
    } finally {
      c.close();
    }
  });
});
