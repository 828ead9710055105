import { MemoryBus } from "@bourse/common/bus";
import { Code, ConnectError } from "@connectrpc/connect";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { encodeFeedMessage, marketChannel, syncChannel } from "./feed-wire.js";
import type { BookSnapshot, LevelState, MarketFeedEvent, PublicTrade, TickerState } from "./market-feed.js";
import { RemoteMarketFeed } from "./remote-market-feed.js";

const market = "BTC-USD";
const at = new Date("2026-01-02T03:04:05.678Z");

const bid = (price: string, quantity: string, orderCount = 1): LevelState => ({
  side: "buy",
  price,
  quantity,
  orderCount,
});
const ask = (price: string, quantity: string, orderCount = 1): LevelState => ({
  side: "sell",
  price,
  quantity,
  orderCount,
});
const ticker: TickerState = { market, lastPrice: "100", volume24h: "3", quoteVolume24h: "300", asOf: at };
const trade = (sequence: number, price = "100"): PublicTrade => ({
  market,
  tradeId: `t${sequence}`,
  sequence,
  price,
  quantity: "1",
  quoteAmount: price,
  takerSide: "buy",
  executedAt: at,
});

function snapshot(
  sequence: bigint,
  levels: LevelState[],
  recentTrades: PublicTrade[] = [],
): Extract<MarketFeedEvent, { kind: "snapshot" }> {
  const book: BookSnapshot = {
    market,
    sequence,
    bids: levels.filter((level) => level.side === "buy"),
    asks: levels.filter((level) => level.side === "sell"),
    asOf: at,
  };
  return { kind: "snapshot", book, ticker, recentTrades };
}

function update(firstSequence: bigint, sequence: bigint, changes: LevelState[], trades: PublicTrade[] = []) {
  return {
    kind: "update" as const,
    delta: { market, firstSequence, sequence, changes, asOf: at },
    trades,
  };
}

/** An owner played by the test: it sends what it is told, and counts the snapshot requests. */
function scriptedOwner(bus: MemoryBus) {
  let requests = 0;
  bus.subscribe(syncChannel(market), () => {
    requests += 1;
  });
  return {
    get requests() {
      return requests;
    },
    send(event: MarketFeedEvent, requested = false) {
      bus.publish(marketChannel(market), encodeFeedMessage({ event, requested }));
    },
  };
}

/** Opens a mirror once the owner answered its first request with `first`. */
async function openMirror(bus: MemoryBus, owner: ReturnType<typeof scriptedOwner>, first: MarketFeedEvent) {
  const opening = RemoteMarketFeed.open({ bus, market, syncRetryMs: 20, snapshotTimeoutMs: 5_000 });
  await vi.waitFor(() => expect(owner.requests).toBeGreaterThan(0));
  owner.send(first, true);
  const mirror = await opening;
  const heard: MarketFeedEvent[] = [];
  mirror.subscribe((event) => heard.push(event));
  return { mirror, heard };
}

describe("RemoteMarketFeed", () => {
  let bus: MemoryBus;
  beforeEach(() => {
    bus = new MemoryBus();
  });
  afterEach(() => bus.close());

  it("serves the owner's snapshot, then applies its deltas in sequence and tells its subscribers", async () => {
    const owner = scriptedOwner(bus);
    const { mirror, heard } = await openMirror(
      bus,
      owner,
      snapshot(5n, [bid("99", "1"), bid("98.5", "2", 2), ask("101", "1")], [trade(2), trade(1)]),
    );
    expect(mirror.book()).toMatchObject({ sequence: 5n, bids: [bid("99", "1"), bid("98.5", "2", 2)] });

    owner.send(update(6n, 6n, [bid("99", "0", 0), bid("100", "0.5")], [trade(3, "100.5")]));
    owner.send(update(7n, 8n, [ask("100.75", "4", 3), ask("101", "0", 0)]));
    await vi.waitFor(() => expect(heard).toHaveLength(2));

    expect(mirror.book()).toEqual({
      market,
      sequence: 8n,
      bids: [bid("100", "0.5"), bid("98.5", "2", 2)],
      asks: [ask("100.75", "4", 3)],
      asOf: at,
    });
    expect(heard.map((event) => event.kind === "update" && event.delta?.sequence)).toEqual([6n, 8n]);
    expect(mirror.recentTrades(2).map((t) => t.sequence)).toEqual([3, 2]);
    expect(mirror.ticker(at)).toMatchObject({ lastPrice: "100.5", bestBid: "100", bestAsk: "100.75" });
    mirror.close();
  });

  it("holds the deltas that arrive before the snapshot and applies those it does not include", async () => {
    const owner = scriptedOwner(bus);
    const opening = RemoteMarketFeed.open({ bus, market, syncRetryMs: 20 });
    await vi.waitFor(() => expect(owner.requests).toBeGreaterThan(0));
    owner.send(update(5n, 5n, [bid("99", "1")], [trade(1)]));
    owner.send(update(6n, 6n, [bid("99", "3", 2)], [trade(2)]));
    owner.send(snapshot(5n, [bid("99", "1")], [trade(1)]), true);
    const mirror = await opening;
    expect(mirror.book()).toMatchObject({ sequence: 6n, bids: [bid("99", "3", 2)], asks: [] });
    expect(mirror.recentTrades(10).map((t) => t.sequence)).toEqual([2, 1]);
    mirror.close();
  });

  it("on a gap, keeps its last book, asks for a snapshot and tells its subscribers with it", async () => {
    const owner = scriptedOwner(bus);
    const { mirror, heard } = await openMirror(bus, owner, snapshot(10n, [bid("99", "1")]));
    const requestsBefore = owner.requests;

    owner.send(update(12n, 12n, [bid("98", "1")]));
    await vi.waitFor(() => expect(owner.requests).toBeGreaterThan(requestsBefore));
    expect(mirror.book()).toMatchObject({ sequence: 10n, bids: [bid("99", "1")] });

    owner.send(update(13n, 13n, [ask("105", "2")]));
    owner.send(snapshot(12n, [bid("99", "1"), bid("98", "1")]), true);
    await vi.waitFor(() => expect(heard).toHaveLength(1));

    const [event] = heard;
    expect(event?.kind).toBe("snapshot");
    const expected = { sequence: 13n, bids: [bid("99", "1"), bid("98", "1")], asks: [ask("105", "2")] };
    expect(event?.kind === "snapshot" && event.book).toMatchObject(expected);
    expect(mirror.book()).toMatchObject(expected);

    owner.send(update(14n, 14n, [ask("105", "0", 0)]));
    await vi.waitFor(() => expect(heard).toHaveLength(2));
    expect(mirror.book().asks).toEqual([]);
    mirror.close();
  });

  it("ignores another mirror's answer when in step, and restarts from a new owner's snapshot", async () => {
    const owner = scriptedOwner(bus);
    const { mirror, heard } = await openMirror(bus, owner, snapshot(3n, [bid("99", "1")]));

    owner.send(snapshot(3n, [bid("99", "1")]), true);
    owner.send(snapshot(3n, [ask("110", "1")]), false);
    await vi.waitFor(() => expect(heard).toHaveLength(1));
    expect(heard[0]?.kind).toBe("snapshot");
    expect(mirror.book()).toMatchObject({ sequence: 3n, bids: [], asks: [ask("110", "1")] });
    mirror.close();
  });

  it("skips deltas and trades it already has", async () => {
    const owner = scriptedOwner(bus);
    const { mirror, heard } = await openMirror(bus, owner, snapshot(4n, [bid("99", "1")], [trade(7)]));
    owner.send(update(4n, 4n, [bid("99", "5")], [trade(7)]));
    owner.send(update(5n, 5n, [bid("99", "2")], [trade(7), trade(8)]));
    await vi.waitFor(() => expect(heard).toHaveLength(1));
    expect(heard[0]).toMatchObject({ kind: "update", trades: [trade(8)] });
    expect(mirror.book()).toMatchObject({ sequence: 5n, bids: [bid("99", "2")] });
    mirror.close();
  });

  it("treats a message it cannot read as lost", async () => {
    const owner = scriptedOwner(bus);
    const { mirror } = await openMirror(bus, owner, snapshot(1n, []));
    const requestsBefore = owner.requests;
    bus.publish(marketChannel(market), "{not json");
    await vi.waitFor(() => expect(owner.requests).toBeGreaterThan(requestsBefore));
    mirror.close();
  });

  it("is unavailable when no owner answers", async () => {
    const error = await RemoteMarketFeed.open({ bus, market, snapshotTimeoutMs: 50, syncRetryMs: 10 }).catch(
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(ConnectError);
    expect((error as ConnectError).code).toBe(Code.Unavailable);
  });

  it("aborts its closed signal and stops listening when closed", async () => {
    const owner = scriptedOwner(bus);
    const { mirror, heard } = await openMirror(bus, owner, snapshot(1n, []));
    mirror.close();
    expect(mirror.closed.aborted).toBe(true);
    owner.send(update(2n, 2n, [bid("1", "1")]));
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(heard).toEqual([]);
  });
});
