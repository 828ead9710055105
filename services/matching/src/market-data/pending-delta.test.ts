import { describe, expect, it } from "vitest";
import { BookLevels } from "./book-levels.js";
import type { BookDelta, LevelState } from "./market-feed.js";
import { PendingDelta } from "./pending-delta.js";

const level = (side: "buy" | "sell", price: string, quantity: string, orderCount = 1): LevelState => ({
  side,
  price,
  quantity,
  orderCount: quantity === "0" ? 0 : orderCount,
});
const delta = (sequence: bigint, changes: LevelState[]): BookDelta => ({
  market: "BTC-USD",
  firstSequence: sequence,
  sequence,
  changes,
  asOf: new Date(Number(sequence)),
});

describe("BookLevels", () => {
  it("keeps each side best first, replaces a level's state and removes a level at quantity 0", () => {
    const book = new BookLevels({
      bids: [level("buy", "100", "1"), level("buy", "99.5", "2")],
      asks: [level("sell", "101", "1")],
    });
    book.apply([
      level("buy", "100.25", "3", 2),
      level("buy", "100", "0"),
      level("sell", "100.5", "4"),
      level("sell", "101", "0.5"),
      level("sell", "1000", "0"),
    ]);
    expect(book.levels()).toEqual({
      bids: [level("buy", "100.25", "3", 2), level("buy", "99.5", "2")],
      asks: [level("sell", "100.5", "4"), level("sell", "101", "0.5")],
    });
    expect([book.bestBid(), book.bestAsk(), book.size]).toEqual(["100.25", "100.5", 4]);
  });

  it("sorts prices by value, not by their text", () => {
    const book = new BookLevels({ bids: [], asks: [] });
    book.apply([level("sell", "9", "1"), level("sell", "10", "1"), level("sell", "9.5", "1")]);
    expect(book.levels().asks.map((ask) => ask.price)).toEqual(["9", "9.5", "10"]);
  });
});

describe("PendingDelta", () => {
  it("merges consecutive deltas into one covering them all, each level once in its last state", () => {
    const pending = new PendingDelta("BTC-USD", 10n);
    expect(pending.take()).toBeUndefined();
    expect(pending.merge(delta(11n, [level("buy", "100", "1"), level("sell", "101", "2")]), 10)).toBe(true);
    expect(pending.merge(delta(12n, [level("buy", "100", "0"), level("buy", "99", "5")]), 10)).toBe(true);
    expect(pending.take()).toEqual({
      market: "BTC-USD",
      firstSequence: 11n,
      sequence: 12n,
      changes: [level("buy", "100", "0"), level("sell", "101", "2"), level("buy", "99", "5")],
      asOf: new Date(12),
    });
    expect(pending.isEmpty).toBe(true);
    // The next one continues after what was taken.
    expect(pending.merge(delta(13n, [level("buy", "99", "4")]), 10)).toBe(true);
    expect(pending.take()).toMatchObject({ firstSequence: 13n, sequence: 13n });
  });

  it("refuses a delta that does not continue the sequence, and more levels than its bound", () => {
    const pending = new PendingDelta("BTC-USD", 10n);
    expect(pending.merge(delta(12n, [level("buy", "100", "1")]), 10)).toBe(false);
    const wide = new PendingDelta("BTC-USD", 10n);
    expect(wide.merge(delta(11n, [level("buy", "100", "1"), level("buy", "99", "1")]), 2)).toBe(true);
    expect(wide.merge(delta(12n, [level("buy", "98", "1")]), 2)).toBe(false);
  });

  it("applied to a book copy, a merged delta gives the same book as its deltas one by one", () => {
    const start = { bids: [level("buy", "100", "1")], asks: [level("sell", "102", "1")] };
    const oneByOne = new BookLevels(start);
    const merged = new BookLevels(start);
    const pending = new PendingDelta("BTC-USD", 0n);
    const deltas = [
      delta(1n, [level("buy", "101", "2")]),
      delta(2n, [level("buy", "100", "0"), level("sell", "102", "3", 2)]),
      delta(3n, [level("buy", "101", "0"), level("buy", "100", "7")]),
    ];
    for (const each of deltas) {
      oneByOne.apply(each.changes);
      pending.merge(each, 100);
    }
    merged.apply(pending.take()?.changes ?? []);
    expect(merged.levels()).toEqual(oneByOne.levels());
  });
});
