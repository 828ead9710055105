import type { Item } from "@bourse/common/storage";
import type { Asset } from "../domain/asset.js";
import { nameSortKey, rankSortKey, symbolSortKey } from "../domain/asset-order.js";

/**
 * Key layout of a catalogue entry (docs/data-model.md, "Inventory"):
 * - table:  PK = `ASSETS`, SK = `ASSET#<symbol>`: get by symbol, list by symbol
 * - GSI1:   GSI1PK = `ASSETS#RANK`, GSI1SK = rank sort key: list by market cap
 * - GSI2:   GSI2PK = `ASSETS#NAME`, GSI2SK = name sort key: list by name
 */
export const ASSETS_PARTITION = "ASSETS";
export const ASSETS_BY_RANK = "ASSETS#RANK";
export const ASSETS_BY_NAME = "ASSETS#NAME";

export function assetKey(symbol: string) {
  return { PK: ASSETS_PARTITION, SK: symbolSortKey(symbol) };
}

/** `revision` counts writes, for optimistic concurrency between admins editing the same asset. */
export function assetToItem(asset: Asset, revision: number): Item {
  return {
    ...assetKey(asset.symbol),
    GSI1PK: ASSETS_BY_RANK,
    GSI1SK: rankSortKey(asset),
    GSI2PK: ASSETS_BY_NAME,
    GSI2SK: nameSortKey(asset),
    symbol: asset.symbol,
    name: asset.name,
    precision: asset.precision,
    coingeckoId: asset.coingeckoId,
    active: asset.active,
    category: asset.category,
    marketCapRank: asset.marketCapRank,
    createdAt: asset.createdAt,
    updatedAt: asset.updatedAt,
    revision,
  };
}

export function assetFromItem(item: Item): Asset {
  return {
    symbol: String(item.symbol),
    name: String(item.name),
    precision: Number(item.precision),
    coingeckoId: String(item.coingeckoId),
    active: item.active === true,
    category: String(item.category),
    marketCapRank: Number(item.marketCapRank),
    createdAt: String(item.createdAt),
    updatedAt: String(item.updatedAt),
  };
}

export function revisionOf(item: Item): number {
  return Number(item.revision);
}
