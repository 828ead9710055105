import { type Ticker, TickerSchema } from "@bourse/proto/bourse/marketdata/v1/ticker_pb";
import { create } from "@bufbuild/protobuf";
import { describe, expect, it } from "vitest";
import {
  changeDirection,
  DEFAULT_TICKER_SORT,
  filterTickers,
  mergeTickers,
  nextSort,
  sortTickers,
} from "./ticker-table.ts";

function ticker(market: string, lastPrice: string, change: string, quoteVolume: string): Ticker {
  return create(TickerSchema, {
    market,
    lastPrice,
    change24hPercent: change,
    quoteVolume24h: quoteVolume,
  });
}

const btc = ticker("BTC-USD", "64250.12", "-1.25", "1200000.5");
const eth = ticker("ETH-USD", "3100.5", "2.5", "980000");
const sol = ticker("SOL-USD", "145.5", "", "0");
const doge = ticker("DOGE-USD", "", "", "0");
const markets = (list: readonly Ticker[]) => list.map((t) => t.market);

describe("filterTickers", () => {
  it("matches the symbol anywhere, ignoring case and spaces", () => {
    expect(markets(filterTickers([btc, eth, sol], " eth "))).toEqual(["ETH-USD"]);
    expect(markets(filterTickers([btc, eth, sol], "usd"))).toEqual(["BTC-USD", "ETH-USD", "SOL-USD"]);
    expect(markets(filterTickers([btc, eth, sol], "xyz"))).toEqual([]);
  });

  it("keeps every market for an empty query", () => {
    expect(markets(filterTickers([btc, eth], ""))).toEqual(["BTC-USD", "ETH-USD"]);
  });
});

describe("sortTickers", () => {
  it("compares prices as decimals, not as text", () => {
    const sorted = sortTickers([eth, btc, sol], { key: "lastPrice", direction: "descending" });
    expect(markets(sorted)).toEqual(["BTC-USD", "ETH-USD", "SOL-USD"]);
    const ascending = sortTickers([eth, btc, sol], { key: "lastPrice", direction: "ascending" });
    expect(markets(ascending)).toEqual(["SOL-USD", "ETH-USD", "BTC-USD"]);
  });

  it("orders signed changes with negatives below positives", () => {
    const sorted = sortTickers([btc, eth], { key: "change", direction: "ascending" });
    expect(markets(sorted)).toEqual(["BTC-USD", "ETH-USD"]);
  });

  it("puts markets without the figure last in both directions", () => {
    for (const direction of ["ascending", "descending"] as const) {
      const sorted = sortTickers([doge, sol, btc], { key: "change", direction });
      expect(markets(sorted)).toEqual(["BTC-USD", "DOGE-USD", "SOL-USD"]);
    }
  });

  it("breaks ties by symbol so rows keep their place", () => {
    const sorted = sortTickers([sol, doge], DEFAULT_TICKER_SORT);
    expect(markets(sorted)).toEqual(["DOGE-USD", "SOL-USD"]);
  });

  it("sorts by name when asked", () => {
    const sorted = sortTickers([sol, btc, eth], { key: "market", direction: "descending" });
    expect(markets(sorted)).toEqual(["SOL-USD", "ETH-USD", "BTC-USD"]);
  });
});

describe("nextSort", () => {
  it("flips the direction of the sorted column", () => {
    expect(nextSort({ key: "change", direction: "descending" }, "change")).toEqual({
      key: "change",
      direction: "ascending",
    });
  });

  it("starts another column high to low, and names A to Z", () => {
    expect(nextSort(DEFAULT_TICKER_SORT, "lastPrice").direction).toBe("descending");
    expect(nextSort(DEFAULT_TICKER_SORT, "market").direction).toBe("ascending");
  });
});

describe("mergeTickers", () => {
  it("replaces the updated markets and keeps the others", () => {
    const current = new Map([
      [btc.market, btc],
      [eth.market, eth],
    ]);
    const newer = ticker("BTC-USD", "65000", "0.5", "1300000");
    const merged = mergeTickers(current, [newer]);
    expect(merged.get("BTC-USD")).toBe(newer);
    expect(merged.get("ETH-USD")).toBe(eth);
    expect(current.get("BTC-USD")).toBe(btc);
  });
});

describe("changeDirection", () => {
  it.each([
    ["2.5", "up"],
    ["-1.25", "down"],
    ["0", "flat"],
    ["0.00", "flat"],
    ["-0.00", "flat"],
    ["", "none"],
  ])("%j points %s", (change, direction) => {
    expect(changeDirection(change)).toBe(direction);
  });
});
