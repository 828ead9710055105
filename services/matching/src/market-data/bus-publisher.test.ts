import { MemoryBus } from "@bourse/common/bus";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { publishFeedToBus } from "./bus-publisher.js";
import { decodeFeedMessage, type FeedMessage, marketChannel, syncChannel } from "./feed-wire.js";
import type { MarketFeedEvent, PublicTrade } from "./market-feed.js";
import { RemoteMarketFeed } from "./remote-market-feed.js";
import { FakeLocalFeed } from "./test-support/fake-local-feed.js";

const market = "ETH-USD";
const at = new Date("2026-03-04T05:06:07.089Z");

function recordChannel(bus: MemoryBus): FeedMessage[] {
  const heard: FeedMessage[] = [];
  bus.subscribe(marketChannel(market), (text) => heard.push(decodeFeedMessage(text)));
  return heard;
}

describe("publishFeedToBus", () => {
  let bus: MemoryBus;
  beforeEach(() => {
    bus = new MemoryBus();
  });
  afterEach(() => bus.close());

  it("announces itself with a snapshot, then publishes every event of the feed, bigints and dates intact", async () => {
    const feed = new FakeLocalFeed(market, at);
    const heard = recordChannel(bus);
    const stop = publishFeedToBus(feed, { bus, now: () => at });
    const trade: PublicTrade = {
      market,
      tradeId: "01J0000000000000000000000",
      sequence: 12,
      price: "2500.5",
      quantity: "0.25",
      quoteAmount: "625.125",
      takerSide: "sell",
      executedAt: at,
    };
    const event: MarketFeedEvent = {
      kind: "update",
      delta: {
        market,
        firstSequence: 8n,
        sequence: 9_007_199_254_740_993n,
        changes: [{ side: "buy", price: "2500.5", quantity: "0", orderCount: 0 }],
        asOf: at,
      },
      trades: [trade],
      ticker: { market, lastPrice: "2500.5", volume24h: "0.25", quoteVolume24h: "625.125", asOf: at },
    };
    feed.tell(event);
    await vi.waitFor(() => expect(heard).toHaveLength(2));
    expect(heard[0]).toEqual({
      event: { kind: "snapshot", book: feed.current, ticker: feed.lastTicker, recentTrades: [] },
      requested: false,
    });
    expect(heard[1]).toEqual({ event, requested: false });
    stop();
    expect(feed.subscriberCount).toBe(0);
  });

  it("answers the snapshot requests of one interval with one snapshot", async () => {
    const feed = new FakeLocalFeed(market, at);
    const heard = recordChannel(bus);
    const stop = publishFeedToBus(feed, { bus, now: () => at, snapshotIntervalMs: 60_000 });
    await vi.waitFor(() => expect(heard).toHaveLength(1));
    for (let i = 0; i < 10; i += 1) bus.publish(syncChannel(market), "snapshot");
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(heard).toHaveLength(1);
    stop();
  });

  it("answers a request at once when the interval is over, with the feed's current state", async () => {
    const feed = new FakeLocalFeed(market, at);
    const heard = recordChannel(bus);
    const stop = publishFeedToBus(feed, { bus, now: () => at, snapshotIntervalMs: 0 });
    feed.current = { ...feed.current, sequence: 8n };
    bus.publish(syncChannel(market), "snapshot");
    await vi.waitFor(() => expect(heard).toHaveLength(2));
    expect(heard[1]).toMatchObject({ event: { kind: "snapshot", book: { sequence: 8n } }, requested: true });
    stop();
  });

  it("lets a mirror follow the feed", async () => {
    const feed = new FakeLocalFeed(market, at);
    const stop = publishFeedToBus(feed, { bus, now: () => at });
    const mirror = await RemoteMarketFeed.open({ bus, market });
    const heard: MarketFeedEvent[] = [];
    mirror.subscribe((event) => heard.push(event));
    const level = { side: "sell" as const, price: "2600", quantity: "1.5", orderCount: 2 };
    feed.current = { ...feed.current, sequence: 8n, asks: [level] };
    feed.tell({
      kind: "update",
      delta: { market, firstSequence: 8n, sequence: 8n, changes: [level], asOf: at },
      trades: [],
    });
    await vi.waitFor(() => expect(heard).toHaveLength(1));
    expect(mirror.book()).toEqual(feed.current);
    mirror.close();
    stop();
  });
});
