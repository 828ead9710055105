import { parseSteps } from "@bourse/common/money";
import { describe, expect, it } from "vitest";
import { buildLadder, type LadderSettings } from "./ladder.js";
import { BTC_USD as btc } from "./test-support/test-markets.js";

const settings: LadderSettings = { levels: 3, spreadBps: 10, stepBps: 10, levelNotional: "100" };

describe("buildLadder", () => {
  it("puts level k at spread + (k − 1) × step bps from the reference, bids rounded down and asks up", () => {
    const ladder = buildLadder(btc, "64250.12", settings);
    // 64250.12 × 0.999 = 64185.86988 → 64185.86; × 1.001 = 64314.37012 → 64314.38
    expect(ladder.filter((quote) => quote.side === "buy").map((quote) => quote.price)).toEqual([
      "64185.86",
      "64121.61",
      "64057.36",
    ]);
    expect(ladder.filter((quote) => quote.side === "sell").map((quote) => quote.price)).toEqual([
      "64314.38",
      "64378.63",
      "64442.88",
    ]);
    expect(ladder.map((quote) => quote.level)).toEqual([1, 1, 2, 2, 3, 3]);
  });

  it("sizes each level to the smallest whole number of lots worth at least the level notional", () => {
    for (const quote of buildLadder(btc, "64250.12", settings)) {
      const lots = parseSteps(quote.quantity, btc.lotSize);
      const cents = (lots: bigint) => parseSteps(quote.price, "0.01") * lots; // in 10^-7 USD
      expect(cents(lots)).toBeGreaterThanOrEqual(100n * 10n ** 7n);
      expect(cents(lots - 1n)).toBeLessThan(100n * 10n ** 7n);
    }
    // 100 / 64185.86 = 0.0015579... → 156 lots of 0.00001
    expect(buildLadder(btc, "64250.12", settings)[0]).toEqual({
      side: "buy",
      level: 1,
      price: "64185.86",
      quantity: "0.00156",
    });
  });

  it("keeps every price on the tick and every quantity on the lot, for ticks that are not powers of ten", () => {
    const odd = { ...btc, tickSize: "0.05", lotSize: "0.25", minQuantity: "0.5", minNotional: "1" };
    const ladder = buildLadder(odd, "3.1415", { levels: 5, spreadBps: 7, stepBps: 3, levelNotional: "2" });
    expect(ladder).toHaveLength(10);
    for (const quote of ladder) {
      expect(() => parseSteps(quote.price, odd.tickSize)).not.toThrow();
      expect(() => parseSteps(quote.quantity, odd.lotSize)).not.toThrow();
    }
  });

  it("raises a level to the minimum quantity", () => {
    const strict = { ...btc, minQuantity: "0.5", minNotional: "0.01" };
    const ladder = buildLadder(strict, "100", { ...settings, levelNotional: "0.01" });
    expect(ladder.map((quote) => quote.quantity)).toEqual(Array(6).fill("0.5"));
  });

  it("raises a level to the minimum notional", () => {
    const ladder = buildLadder(btc, "100", { ...settings, levels: 1, levelNotional: "0.01" });
    // 0.05005 × 99.9 = 4.999995 < 5, so the bid needs 0.05006; 0.04995 × 100.1 < 5, so the ask needs 0.04996.
    expect(ladder).toEqual([
      { side: "buy", level: 1, price: "99.9", quantity: "0.05006" },
      { side: "sell", level: 1, price: "100.1", quantity: "0.04996" },
    ]);
  });

  it("keeps levels a tick apart when the tick is coarser than the step, and drops bids that reach zero", () => {
    const coarse = { ...btc, tickSize: "1" };
    const ladder = buildLadder(coarse, "10", { levels: 4, spreadBps: 1, stepBps: 1, levelNotional: "5" });
    expect(ladder.filter((quote) => quote.side === "buy").map((quote) => quote.price)).toEqual([
      "9",
      "8",
      "7",
      "6",
    ]);
    expect(ladder.filter((quote) => quote.side === "sell").map((quote) => quote.price)).toEqual([
      "11",
      "12",
      "13",
      "14",
    ]);
    const cheap = buildLadder(coarse, "2", { levels: 4, spreadBps: 1, stepBps: 1, levelNotional: "5" });
    expect(cheap.filter((quote) => quote.side === "buy").map((quote) => quote.price)).toEqual(["1"]);
    expect(cheap.filter((quote) => quote.side === "sell")).toHaveLength(4);
  });

  it("reads the reference price exactly, whatever its number of digits", () => {
    const ladder = buildLadder(btc, "0.123456789123", { ...settings, levels: 1, levelNotional: "5" });
    // 0.123456789123 × 0.999 = 0.1233333... → 0.12; × 1.001 → 0.1235802... → 0.13
    expect(ladder.map((quote) => quote.price)).toEqual(["0.12", "0.13"]);
    expect(ladder.map((quote) => quote.quantity)).toEqual(["41.66667", "38.46154"]);
  });
});
