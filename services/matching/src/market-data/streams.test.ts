import { Code, ConnectError } from "@connectrpc/connect";
import { Registry } from "prom-client";
import { describe, expect, it, vi } from "vitest";
import type { CommandOutcome } from "../domain/outcome.js";
import { BookStreams, bookStream } from "./book-stream.js";
import { LocalMarketFeed } from "./local-market-feed.js";
import { createMarketDataMetrics } from "./market-data-metrics.js";
import type { LevelState } from "./market-feed.js";
import { tradeStream } from "./trade-stream.js";

const NOW = new Date("2026-01-01T00:00:00Z");
const bid = (price: string, quantity: string): LevelState => ({
  side: "buy",
  price,
  quantity,
  orderCount: quantity === "0" ? 0 : 1,
});
const outcome = (levels: LevelState[], steps: CommandOutcome["steps"] = []) =>
  ({
    seq: 0,
    steps,
    closing: { orders: [], releases: [] },
    report: { kind: "unknown_order" },
    levels,
    at: NOW,
  }) as CommandOutcome;
const feed = () => new LocalMarketFeed("BTC-USD", { bids: [], asks: [] }, 5n, NOW);

describe("book stream", () => {
  it("merges what a reader has not taken into one delta, so it never holds more than one state per level", async () => {
    const market = feed();
    const metrics = createMarketDataMetrics(new Registry());
    const controller = new AbortController();
    const stream = bookStream(market, controller.signal, 100, metrics);
    expect((await stream.next()).value).toMatchObject({ kind: "snapshot", book: { sequence: 5n } });
    // The reader takes nothing while 1,000 commands commit, one batch each, all on the same two levels.
    for (let i = 1; i <= 1000; i++)
      market.committed([outcome([bid("100", String(i)), bid("99", String(i))])], NOW);
    const next = await stream.next();
    expect(next.value).toEqual({
      kind: "delta",
      delta: {
        market: "BTC-USD",
        firstSequence: 6n,
        sequence: 1005n,
        changes: [bid("100", "1000"), bid("99", "1000")],
        asOf: NOW,
      },
    });
    expect((await metrics.conflated.get()).values[0]?.value).toBe(999);
    controller.abort();
    expect((await stream.next()).done).toBe(true);
  });

  it("paced, hands every reader one delta per tick, the same object, from its own sequence, merged when it lags", async () => {
    vi.useFakeTimers({ toFake: ["setInterval", "clearInterval"] });
    try {
      const market = feed();
      const metrics = createMarketDataMetrics(new Registry());
      const streams = new BookStreams({ maxPendingLevels: 100, intervalMs: 100 }, metrics);
      const controller = new AbortController();
      const first = streams.open(market, controller.signal);
      expect((await first.next()).value).toMatchObject({ kind: "snapshot", book: { sequence: 5n } });

      // Three commands within one tick: the reader asking at once still gets them as one delta.
      const firstNext = first.next();
      market.committed([outcome([bid("100", "1")])], NOW);
      await new Promise((resolve) => setImmediate(resolve));
      market.committed([outcome([bid("99", "1")])], NOW);
      // A second reader joins between two ticks, at sequence 7.
      const second = streams.open(market, controller.signal);
      expect((await second.next()).value).toMatchObject({ kind: "snapshot", book: { sequence: 7n } });
      market.committed([outcome([bid("100", "2")])], NOW);
      vi.advanceTimersByTime(100);
      const shared = (await firstNext).value;
      expect(shared).toEqual({
        kind: "delta",
        delta: {
          market: "BTC-USD",
          firstSequence: 6n,
          sequence: 8n,
          changes: [bid("100", "2"), bid("99", "1")],
          asOf: NOW,
        },
      });
      // The joiner gets the same tick from its own sequence on: the levels' states at the tick's end.
      expect((await second.next()).value).toEqual({
        kind: "delta",
        delta: { ...(shared as { delta: object }).delta, firstSequence: 8n },
      });

      // The first reader takes nothing over two ticks: it gets them merged; the second takes each.
      market.committed([outcome([bid("98", "1")])], NOW);
      vi.advanceTimersByTime(100);
      const tick = (await second.next()).value;
      market.committed([outcome([bid("98", "2")])], NOW);
      vi.advanceTimersByTime(100);
      expect((await second.next()).value).toMatchObject({ delta: { firstSequence: 10n, sequence: 10n } });
      expect(tick).toMatchObject({ delta: { firstSequence: 9n, sequence: 9n } });
      expect((await first.next()).value).toEqual({
        kind: "delta",
        delta: { market: "BTC-USD", firstSequence: 9n, sequence: 10n, changes: [bid("98", "2")], asOf: NOW },
      });
      expect((await metrics.conflated.get()).values[0]?.value).toBe(1);

      // A new runner: both start over from a snapshot.
      market.restart({ bids: [bid("50", "1")], asks: [] }, 40n, NOW);
      expect((await first.next()).value).toMatchObject({ kind: "snapshot", book: { sequence: 40n } });
      expect((await second.next()).value).toMatchObject({ kind: "snapshot", book: { sequence: 40n } });
      controller.abort();
      expect((await first.next()).done).toBe(true);
      expect((await second.next()).done).toBe(true);
    } finally {
      vi.useRealTimers();
    }
  });

  it("sends a fresh snapshot when the pending changes outgrow their bound, or a new runner starts", async () => {
    const market = feed();
    const controller = new AbortController();
    const stream = bookStream(market, controller.signal, 2, createMarketDataMetrics(new Registry()));
    await stream.next();
    market.committed([outcome([bid("100", "1"), bid("99", "1"), bid("98", "1")])], NOW);
    expect((await stream.next()).value).toMatchObject({
      kind: "snapshot",
      book: { sequence: 6n, bids: [bid("100", "1"), bid("99", "1"), bid("98", "1")] },
    });
    market.restart({ bids: [bid("50", "1")], asks: [] }, 40n, NOW);
    expect((await stream.next()).value).toMatchObject({ kind: "snapshot", book: { sequence: 40n } });
    controller.abort();
  });
});

describe("trade stream", () => {
  const step = (sequence: number) =>
    ({
      trade: {
        tradeId: String(sequence),
        market: "BTC-USD",
        sequence: BigInt(sequence),
        price: "100.00",
        quantity: "0.50",
        quoteAmount: "50.0000",
        executedAt: NOW,
        buyer: { maker: false },
        seller: { maker: true },
      },
    }) as unknown as CommandOutcome["steps"][number];

  it("delivers trades oldest first in canonical decimals, and ends a reader past its buffer with resource_exhausted", async () => {
    const market = feed();
    const controller = new AbortController();
    let dropped = 0;
    const stream = tradeStream(market, controller.signal, 3, () => dropped++);
    const first = stream.next();
    market.committed([outcome([], [step(7), step(8)])], NOW);
    expect((await first).value).toMatchObject([
      { tradeId: "7", price: "100", quantity: "0.5", quoteAmount: "50", takerSide: "buy" },
      { tradeId: "8" },
    ]);
    market.committed([outcome([], [step(9), step(10)])], NOW);
    market.committed([outcome([], [step(11), step(12)])], NOW);
    const error = await stream.next().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConnectError);
    expect((error as ConnectError).code).toBe(Code.ResourceExhausted);
    expect(dropped).toBe(1);
  });
});
