import { describe, expect, it } from "vitest";
import { snapshotPrices } from "../prices/price-snapshot.js";
import { readPriceSnapshot, readSeedAssets, readSeedMarkets } from "../seed/seed-files.js";
import type { Asset } from "./asset.js";
import { type Market, marketPrecisionProblems } from "./market.js";
import { marketSizingProblems } from "./market-sizing.js";

const asset = (symbol: string, precision: number): Asset => ({
  symbol,
  name: symbol,
  precision,
  coingeckoId: "",
  active: true,
  category: "",
  marketCapRank: 0,
  createdAt: "",
  updatedAt: "",
});

const usd = asset("USD", 8);
const btc = asset("BTC", 8);
const market: Market = {
  symbol: "BTC-USD",
  base: "BTC",
  quote: "USD",
  tickSize: "0.01",
  lotSize: "0.00001",
  minQuantity: "0.00002",
  minNotional: "5",
  makerFeeRate: "0.001",
  takerFeeRate: "0.002",
  status: "active",
  statusReason: "",
  updatedAt: "",
};

describe("marketPrecisionProblems", () => {
  it("accepts a market whose tick x lot fits the quote precision", () => {
    expect(marketPrecisionProblems(market, btc, usd)).toEqual([]);
  });

  it("refuses tick x lot beyond the quote precision, and a lot beyond the base precision", () => {
    expect(marketPrecisionProblems({ ...market, tickSize: "0.0001" }, btc, usd)).toEqual([
      "tick size (4 digits) x lot size (5 digits) exceeds USD precision 8",
    ]);
    expect(marketPrecisionProblems({ ...market, tickSize: "1" }, asset("BTC", 4), usd)).toEqual([
      "lot size has more digits than BTC precision 4",
    ]);
  });

  it("refuses a minimum quantity off the lot, non-positive sizes, fees of 100% and malformed decimals", () => {
    expect(marketPrecisionProblems({ ...market, minQuantity: "0.000015" }, btc, usd)).toContain(
      "min quantity must be a whole number of lots",
    );
    expect(marketPrecisionProblems({ ...market, lotSize: "0" }, btc, usd)).toContain(
      "lotSize must be positive",
    );
    expect(marketPrecisionProblems({ ...market, takerFeeRate: "1" }, btc, usd)).toContain(
      "takerFeeRate must be below 1",
    );
    expect(marketPrecisionProblems({ ...market, tickSize: "1e-2" }, btc, usd)).toHaveLength(1);
    expect(marketPrecisionProblems({ ...market, symbol: "BTCUSD" }, btc, usd)).toContain(
      "symbol must be BASE-QUOTE",
    );
  });
});

describe("marketSizingProblems", () => {
  it("accepts sizes that suit the price", () => {
    expect(marketSizingProblems(market, "107150.42")).toEqual([]);
  });

  it("refuses a tick coarser than 0.1% or finer than 1e-8 of the price, and lots worth more than the minimum", () => {
    expect(marketSizingProblems({ ...market, tickSize: "1000" }, "107150.42")).toHaveLength(1);
    expect(marketSizingProblems({ ...market, tickSize: "0.00000001", minQuantity: "0.00001" }, "5")).toEqual([
      "tick size 0.00000001 is finer than 1e-8 of 5",
    ]);
    expect(
      marketSizingProblems({ ...market, lotSize: "0.001", minQuantity: "0.001" }, "107150.42"),
    ).toHaveLength(2);
    expect(marketSizingProblems({ ...market, minNotional: "500" }, "107150.42")).toEqual([
      "min notional 500 is outside 1 to 100",
    ]);
  });
});

describe("the bundled markets", () => {
  const assets = new Map(
    readSeedAssets().map((seed) => [seed.symbol, { ...asset(seed.symbol, 0), ...seed }]),
  );
  const prices = snapshotPrices(readPriceSnapshot());
  const markets = readSeedMarkets().map(
    (seed): Market => ({ ...seed, status: "active", statusReason: "", updatedAt: "" }),
  );

  it("are at least 20, all BASE-USD", () => {
    expect(markets.length).toBeGreaterThanOrEqual(20);
    for (const seed of markets) expect(seed.quote).toBe("USD");
  });

  it.each(markets.map((seed) => [seed.symbol, seed] as const))(
    "%s is exact in its assets and suits its price",
    (_, seed) => {
      const base = assets.get(seed.base);
      const quote = assets.get(seed.quote);
      const price = prices.get(seed.base)?.price;
      expect(base && quote && price).toBeTruthy();
      if (!base || !quote || !price) return;
      expect(marketPrecisionProblems(seed, base, quote)).toEqual([]);
      expect(marketSizingProblems(seed, price)).toEqual([]);
    },
  );
});
