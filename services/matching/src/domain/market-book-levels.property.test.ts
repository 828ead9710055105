import { parseDecimal } from "@bourse/common/money";
import type { OrderRecord } from "@bourse/trading";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { LevelState } from "../market-data/market-feed.js";
import { MarketBook } from "./market-book.js";
import { NOW } from "./test-support/market-book-fixtures.js";
import { commandStream, markets, runCommand } from "./test-support/market-book-streams.js";

const keyOf = (level: LevelState) => `${level.side}@${level.price}`;

const byKey = (book: MarketBook) => {
  const { bids, asks } = book.levels();
  return new Map([...bids, ...asks].map((level) => [keyOf(level), level]));
};

/** The levels that differ between two books, each as it is after ("0" when gone), sorted by key. */
function difference(before: Map<string, LevelState>, after: Map<string, LevelState>): LevelState[] {
  const changed: LevelState[] = [];
  for (const [key, level] of after) {
    const old = before.get(key);
    if (old?.quantity !== level.quantity || old.orderCount !== level.orderCount) changed.push(level);
  }
  for (const [key, level] of before) {
    if (!after.has(key)) changed.push({ ...level, quantity: "0", orderCount: 0 });
  }
  return changed.sort((a, b) => keyOf(a).localeCompare(keyOf(b)));
}

describe("MarketBook levels", () => {
  it("lists every level best first, with its total and its number of orders", () => {
    fc.assert(
      fc.property(markets, commandStream(60), (market, stream) => {
        const book = new MarketBook(market, { seq: 0, resting: [] });
        const placed: OrderRecord[] = [];
        for (const command of stream) runCommand(book, market, command, placed);
        const { bids, asks } = book.levels();
        const depth = book.depth(Number.MAX_SAFE_INTEGER);
        const units = ({ price, quantity }: { price: string; quantity: string }) => ({
          price: parseDecimal(price, 8),
          quantity: parseDecimal(quantity, 8),
        });
        expect(bids.map(units)).toEqual(depth.bids.map(units));
        expect(asks.map(units)).toEqual(depth.asks.map(units));
        const resting = book.restingRecords();
        for (const level of [...bids, ...asks]) {
          const price = parseDecimal(level.price, 8);
          const at = resting.filter(
            (order) => order.side === level.side && parseDecimal(order.price, 8) === price,
          );
          expect(level.orderCount).toBe(at.length);
          expect(level.orderCount).toBeGreaterThan(0);
        }
      }),
      { numRuns: 100 },
    );
  });

  it("a command's levels are exactly the levels it changed, each once, in its state after the command", () => {
    fc.assert(
      fc.property(markets, commandStream(80), (market, stream) => {
        const book = new MarketBook(market, { seq: 0, resting: [] });
        const placed: OrderRecord[] = [];
        for (const command of stream) {
          const before = byKey(book);
          const outcome = runCommand(book, market, command, placed);
          if (outcome === undefined) continue;
          const keys = outcome.levels.map(keyOf);
          expect(new Set(keys).size).toBe(keys.length);
          const listed = [...outcome.levels].sort((a, b) => keyOf(a).localeCompare(keyOf(b)));
          expect(listed).toEqual(difference(before, byKey(book)));
          expect(outcome.at).toBe(NOW);
        }
      }),
      { numRuns: 150 },
    );
  });
});
