import type { Store } from "@bourse/common/storage";
import { describeWithStores } from "@bourse/common/testing";
import { type Asset, assetToItem, type Market, marketToItem } from "@bourse/inventory/items";
import { expect, it } from "vitest";
import { readTradingMarket } from "./trading-market.js";

let unique = 0;

function asset(symbol: string, precision: number): Asset {
  return {
    symbol,
    name: symbol,
    precision,
    coingeckoId: "",
    active: true,
    category: "test",
    marketCapRank: 0,
    createdAt: "2025-01-01T00:00:00Z",
    updatedAt: "2025-01-01T00:00:00Z",
  };
}

async function listMarket(store: Store, overrides: Partial<Market> = {}): Promise<Market> {
  const base = `B${++unique}`;
  const quote = `Q${unique}`;
  const market: Market = {
    symbol: `${base}-${quote}`,
    base,
    quote,
    tickSize: "0.01",
    lotSize: "0.0001",
    minQuantity: "0.0001",
    minNotional: "1",
    makerFeeRate: "0.001",
    takerFeeRate: "0.002",
    status: "active",
    statusReason: "",
    updatedAt: "2025-01-01T00:00:00Z",
    ...overrides,
  };
  await store.put(assetToItem(asset(base, 8), 1));
  await store.put(assetToItem(asset(quote, 6), 1));
  await store.put(marketToItem(market, 1));
  return market;
}

describeWithStores("readTradingMarket", (store) => {
  it("joins the market's rules with its assets' precisions", async () => {
    const market = await listMarket(store());
    expect(await readTradingMarket(store(), market.symbol)).toEqual({
      symbol: market.symbol,
      base: market.base,
      quote: market.quote,
      baseScale: 8,
      quoteScale: 6,
      tickSize: "0.01",
      lotSize: "0.0001",
      minQuantity: "0.0001",
      minNotional: "1",
      makerFeeRate: "0.001",
      takerFeeRate: "0.002",
      status: "active",
    });
  });

  it("is undefined for a market that is not listed", async () => {
    expect(await readTradingMarket(store(), "NOPE-USD")).toBeUndefined();
  });

  it("sees a halt on the very next read", async () => {
    const market = await listMarket(store());
    expect((await readTradingMarket(store(), market.symbol))?.status).toBe("active");
    await store().put(marketToItem({ ...market, status: "halted", statusReason: "maintenance" }, 2));
    expect((await readTradingMarket(store(), market.symbol))?.status).toBe("halted");
  });
});
