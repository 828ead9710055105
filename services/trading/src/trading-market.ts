import type { Store } from "@bourse/common/storage";
import {
  assetFromItem,
  assetKey,
  type MarketStatus,
  marketFromItem,
  marketKey,
} from "@bourse/inventory/items";

/**
 * A market's trading rules as orders and matching use them: inventory's market (decimal strings) plus the
 * precisions of its two assets, which fix the integer units of every amount.
 */
export interface TradingMarket {
  readonly symbol: string;
  readonly base: string;
  readonly quote: string;
  readonly baseScale: number;
  readonly quoteScale: number;
  readonly tickSize: string;
  readonly lotSize: string;
  readonly minQuantity: string;
  readonly minNotional: string;
  readonly makerFeeRate: string;
  readonly takerFeeRate: string;
  readonly status: MarketStatus;
}

/** An asset's precision never changes once it is listed, so it is read once per store and process. */
const precisionsByStore = new WeakMap<Store, Map<string, number>>();

async function assetPrecision(store: Store, symbol: string): Promise<number> {
  let precisions = precisionsByStore.get(store);
  if (precisions === undefined) {
    precisions = new Map();
    precisionsByStore.set(store, precisions);
  }
  const known = precisions.get(symbol);
  if (known !== undefined) return known;
  const item = await store.get(assetKey(symbol));
  if (item === undefined) throw new Error(`market asset ${symbol} is not in the catalogue`);
  const { precision } = assetFromItem(item);
  precisions.set(symbol, precision);
  return precision;
}

/**
 * Reads a market's rules, or undefined when there is no such market. The market item is read strongly
 * consistently on every call, so a halt or a fee change applies to the very next order.
 */
export async function readTradingMarket(store: Store, symbol: string): Promise<TradingMarket | undefined> {
  const item = await store.get(marketKey(symbol), { consistent: true });
  if (item === undefined) return undefined;
  const market = marketFromItem(item);
  const [baseScale, quoteScale] = await Promise.all([
    assetPrecision(store, market.base),
    assetPrecision(store, market.quote),
  ]);
  return {
    symbol: market.symbol,
    base: market.base,
    quote: market.quote,
    baseScale,
    quoteScale,
    tickSize: market.tickSize,
    lotSize: market.lotSize,
    minQuantity: market.minQuantity,
    minNotional: market.minNotional,
    makerFeeRate: market.makerFeeRate,
    takerFeeRate: market.takerFeeRate,
    status: market.status,
  };
}
