/**
 * The stored forms of assets and markets, for services that read inventory's items straight from the shared
 * table (the orders and matching services read a market's rules strongly consistently on every order).
 * Published as `@bourse/inventory/items`.
 */
export type { Asset } from "../domain/asset.js";
export type { Market, MarketStatus } from "../domain/market.js";
export { assetFromItem, assetKey, assetToItem } from "./asset-item.js";
export { MARKETS_INDEX_PARTITION, marketFromItem, marketKey, marketToItem } from "./market-item.js";
