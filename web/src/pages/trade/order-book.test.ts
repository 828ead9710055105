import {
  BookSide,
  LevelChangeSchema,
  OrderBookDeltaSchema,
  OrderBookSchema,
  PriceLevelSchema,
} from "@bourse/proto/bourse/marketdata/v1/order_book_pb";
import { create } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import { applyDelta, type Book, bookFromSnapshot } from "./order-book.ts";

const level = (price: string, quantity: string, orderCount = 1) =>
  create(PriceLevelSchema, { price, quantity, orderCount });

const snapshot = bookFromSnapshot(
  create(OrderBookSchema, {
    market: "BTC-USD",
    sequence: 10n,
    bids: [level("100", "1"), level("99.5", "2"), level("98", "3")],
    asks: [level("101", "1"), level("102.25", "4")],
  }),
);

function delta(firstSequence: bigint, sequence: bigint, changes: [BookSide, string, string][]) {
  return create(OrderBookDeltaSchema, {
    market: "BTC-USD",
    firstSequence,
    sequence,
    changes: changes.map(([side, price, quantity]) =>
      create(LevelChangeSchema, { side, price, quantity, orderCount: quantity === "0" ? 0 : 1 }),
    ),
  });
}

function applied(book: Book, ...args: Parameters<typeof delta>): Book {
  const outcome = applyDelta(book, delta(...args));
  if (outcome.kind !== "applied") throw new Error(`expected the delta to apply, got ${outcome.kind}`);
  return outcome.book;
}

const prices = (levels: readonly { price: string }[]) => levels.map((l) => l.price);

describe("applyDelta", () => {
  it("inserts new levels in price order on each side: bids descending, asks ascending", () => {
    const book = applied(snapshot, 11n, 11n, [
      [BookSide.BID, "99.75", "5"],
      [BookSide.BID, "97", "1"],
      [BookSide.BID, "100.5", "1"],
      [BookSide.ASK, "101.5", "2"],
      [BookSide.ASK, "100.75", "1"],
      [BookSide.ASK, "200", "1"],
    ]);
    expect(prices(book.bids)).toEqual(["100.5", "100", "99.75", "99.5", "98", "97"]);
    expect(prices(book.asks)).toEqual(["100.75", "101", "101.5", "102.25", "200"]);
    expect(book.sequence).toBe(11n);
  });

  it("replaces a level's quantity and removes a level at quantity 0, matching prices numerically", () => {
    const book = applied(snapshot, 11n, 13n, [
      [BookSide.BID, "99.50", "7"],
      [BookSide.ASK, "101.0", "0"],
    ]);
    expect(book.bids.map((l) => [l.price, l.quantity])).toEqual([
      ["100", "1"],
      ["99.50", "7"],
      ["98", "3"],
    ]);
    expect(prices(book.asks)).toEqual(["102.25"]);
    expect(book.sequence).toBe(13n);
  });

  it("ignores the removal of a level it does not hold", () => {
    const book = applied(snapshot, 11n, 11n, [[BookSide.BID, "50", "0"]]);
    expect(prices(book.bids)).toEqual(["100", "99.5", "98"]);
  });

  it("chains deltas: a conflated delta continues from the last sequence applied", () => {
    const first = applied(snapshot, 11n, 15n, [[BookSide.BID, "100", "0"]]);
    const second = applied(first, 16n, 16n, [[BookSide.BID, "99.5", "0"]]);
    expect(prices(second.bids)).toEqual(["98"]);
    expect(second.sequence).toBe(16n);
  });

  it("reports a gap, leaving the book untouched, when first_sequence skips or repeats", () => {
    for (const first of [12n, 10n, 9n]) {
      const outcome = applyDelta(snapshot, delta(first, first, [[BookSide.BID, "100", "0"]]));
      expect(outcome).toEqual({ kind: "gap", expected: 11n, received: first });
    }
    expect(prices(snapshot.bids)).toEqual(["100", "99.5", "98"]);
  });
});
