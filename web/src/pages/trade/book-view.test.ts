import { describe, expect, it } from "vitest";
import { bookView } from "./book-view.ts";
import type { Book } from "./order-book.ts";

const book: Book = {
  market: "BTC-USD",
  sequence: 1n,
  bids: [
    { price: "100", quantity: "1.5", orderCount: 2 },
    { price: "99", quantity: "0.5", orderCount: 1 },
    { price: "98", quantity: "2", orderCount: 1 },
  ],
  asks: [
    { price: "100.5", quantity: "0.25", orderCount: 1 },
    { price: "101", quantity: "0.75", orderCount: 1 },
  ],
};

describe("bookView", () => {
  it("adds running totals and scales the depth bars to the deeper side", () => {
    const view = bookView(book, 10);
    expect(view.bids.map((row) => [row.cumulative, row.depthPerMille])).toEqual([
      ["1.5", 375],
      ["2", 500],
      ["4", 1000],
    ]);
    expect(view.asks.map((row) => [row.cumulative, row.depthPerMille])).toEqual([
      ["0.25", 62],
      ["1", 250],
    ]);
  });

  it("shows only the requested rows, scaling to what is shown", () => {
    const view = bookView(book, 1);
    expect(view.bids.map((row) => row.depthPerMille)).toEqual([1000]);
    expect(view.asks.map((row) => row.depthPerMille)).toEqual([166]);
  });

  it("gives the spread absolute and as a percentage of the ask, truncated to 2 decimals", () => {
    expect(bookView(book, 10).spread).toEqual({ absolute: "0.5", percent: "0.49" });
  });

  it("has no spread and empty bars when a side is empty", () => {
    const view = bookView({ ...book, asks: [], bids: [] }, 10);
    expect(view).toEqual({ bids: [], asks: [], spread: undefined });
  });
});
