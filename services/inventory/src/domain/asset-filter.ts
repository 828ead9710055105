import type { Asset } from "./asset.js";
import type { AssetOrder } from "./asset-order.js";

/** What one ListAssets query asks for; a page token is bound to all of it. */
export interface AssetFilter {
  /** Lower-cased search text; empty matches every asset. */
  readonly query: string;
  readonly category: string;
  readonly order: AssetOrder;
  readonly includeInactive: boolean;
}

/** Symbol prefix or name substring, case-insensitively; category exact; delisted assets only on request. */
export function matchesFilter(asset: Asset, filter: AssetFilter): boolean {
  if (!asset.active && !filter.includeInactive) return false;
  if (filter.category !== "" && asset.category !== filter.category) return false;
  if (filter.query === "") return true;
  return (
    asset.symbol.toLowerCase().startsWith(filter.query) || asset.name.toLowerCase().includes(filter.query)
  );
}
