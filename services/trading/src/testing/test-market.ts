import { randomUUID } from "node:crypto";
import type { Item, Store } from "@bourse/common/storage";
import { type Asset, assetToItem, marketToItem } from "@bourse/inventory/items";
import type { TradingMarket } from "../trading-market.js";

const LISTED_AT = "2025-01-01T00:00:00Z";
let listed = 0;

function testAsset(symbol: string, precision: number): Asset {
  return {
    symbol,
    name: symbol,
    precision,
    coingeckoId: "",
    active: true,
    category: "test",
    marketCapRank: 0,
    createdAt: LISTED_AT,
    updatedAt: LISTED_AT,
  };
}

/** Inventory's item for `market`'s rules at `revision`, e.g. to halt a listed market. */
export function testMarketItem(market: TradingMarket, revision: number, statusReason = ""): Item {
  const { baseScale: _base, quoteScale: _quote, ...rules } = market;
  return marketToItem({ ...rules, statusReason, updatedAt: LISTED_AT }, revision);
}

/**
 * Lists a market in inventory's catalogue items, with its two assets, and returns its trading rules. By
 * default both assets are fresh (base precision 8, quote precision 6), so each test has its own book and
 * balances, and the rules are tick 0.01, lot 0.001, minimum quantity 0.001, minimum notional 1, fees 0.001
 * (maker) and 0.002 (taker); `overrides` changes any of them (a shared quote asset, other sizes, a halt).
 */
export async function listTestMarket(
  store: Store,
  overrides: Partial<TradingMarket> = {},
): Promise<TradingMarket> {
  const id = `${++listed}${randomUUID().slice(0, 6).toUpperCase()}`;
  const base = overrides.base ?? `B${id}`;
  const quote = overrides.quote ?? `Q${id}`;
  const market: TradingMarket = {
    symbol: `${base}-${quote}`,
    base,
    quote,
    baseScale: 8,
    quoteScale: 6,
    tickSize: "0.01",
    lotSize: "0.001",
    minQuantity: "0.001",
    minNotional: "1",
    makerFeeRate: "0.001",
    takerFeeRate: "0.002",
    status: "active",
    ...overrides,
  };
  await store.put(assetToItem(testAsset(market.base, market.baseScale), 1));
  await store.put(assetToItem(testAsset(market.quote, market.quoteScale), 1));
  await store.put(testMarketItem(market, 1));
  return market;
}
