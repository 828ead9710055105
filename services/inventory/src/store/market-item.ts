import type { Item } from "@bourse/common/storage";
import type { Market, MarketStatus } from "../domain/market.js";

/**
 * Key layout of a market (docs/data-model.md, "Inventory"):
 * - table: PK = `MARKET#<symbol>`, SK = `MARKET`: get by symbol. The partition is the market's own, shared
 *   with the matching service's fencing sequence item.
 * - GSI1:  GSI1PK = `MARKETS`, GSI1SK = `<symbol>`: list every market by symbol
 */
export const MARKETS_INDEX_PARTITION = "MARKETS";

export function marketKey(symbol: string) {
  return { PK: `MARKET#${symbol}`, SK: "MARKET" };
}

export function marketToItem(market: Market, revision: number): Item {
  return {
    ...marketKey(market.symbol),
    GSI1PK: MARKETS_INDEX_PARTITION,
    GSI1SK: market.symbol,
    symbol: market.symbol,
    base: market.base,
    quote: market.quote,
    tickSize: market.tickSize,
    lotSize: market.lotSize,
    minQuantity: market.minQuantity,
    minNotional: market.minNotional,
    makerFeeRate: market.makerFeeRate,
    takerFeeRate: market.takerFeeRate,
    status: market.status,
    statusReason: market.statusReason,
    updatedAt: market.updatedAt,
    revision,
  };
}

export function marketFromItem(item: Item): Market {
  return {
    symbol: String(item.symbol),
    base: String(item.base),
    quote: String(item.quote),
    tickSize: String(item.tickSize),
    lotSize: String(item.lotSize),
    minQuantity: String(item.minQuantity),
    minNotional: String(item.minNotional),
    makerFeeRate: String(item.makerFeeRate),
    takerFeeRate: String(item.takerFeeRate),
    status: String(item.status) as MarketStatus,
    statusReason: String(item.statusReason),
    updatedAt: String(item.updatedAt),
  };
}
