import type { Asset } from "./asset.js";

/** The orders ListAssets offers; each is served by its own sorted key (see asset-store.ts). */
export type AssetOrder = "market_cap" | "symbol" | "name";

const RANK_WIDTH = 10;

/**
 * The sort keys below are compared as UTF-8 bytes by DynamoDB and by the memory store, and each is built so
 * that byte order is the order the API promises, ties broken by symbol (symbols are [A-Z0-9], all above '#'
 * and '.').
 */

/** `R#<rank, zero-padded>#<symbol>`, and `U#<symbol>` for unranked assets, which sort after every rank. */
export function rankSortKey(asset: Pick<Asset, "marketCapRank" | "symbol">): string {
  if (asset.marketCapRank === 0) return `U#${asset.symbol}`;
  return `R#${String(asset.marketCapRank).padStart(RANK_WIDTH, "0")}#${asset.symbol}`;
}

/**
 * The lower-cased name as hex of its UTF-8 bytes, then `.` and the symbol. Hex keeps byte order, and `.` sorts
 * below every hex digit, so "Foo" comes before "Foo Bar" whatever characters the names hold.
 */
export function nameSortKey(asset: Pick<Asset, "name" | "symbol">): string {
  return `${Buffer.from(asset.name.toLowerCase(), "utf8").toString("hex")}.${asset.symbol}`;
}

/** The catalogue item's sort key in the table, which orders by symbol. */
export function symbolSortKey(symbol: string): string {
  return `ASSET#${symbol}`;
}

export function sortKeyOf(asset: Asset, order: AssetOrder): string {
  switch (order) {
    case "market_cap":
      return rankSortKey(asset);
    case "symbol":
      return symbolSortKey(asset.symbol);
    case "name":
      return nameSortKey(asset);
  }
}
