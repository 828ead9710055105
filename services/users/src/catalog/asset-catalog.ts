import { unavailable } from "@bourse/common";
import type { InventoryService } from "@bourse/proto/bourse/inventory/v1/inventory_service_pb";
import { type Client, Code, ConnectError } from "@connectrpc/connect";

/** What the ledger needs to know of an asset. */
export interface CatalogAsset {
  readonly symbol: string;
  readonly precision: number;
  readonly active: boolean;
}

export interface AssetCatalog {
  /** The asset, or undefined when the inventory does not know it (or no longer lists it). */
  find(symbol: string): Promise<CatalogAsset | undefined>;
}

export interface AssetCatalogOptions {
  /** How long an answer is reused. Precision never changes; `active` may lag by this much. */
  readonly ttlMs: number;
  /** How long "unknown" is reused: short, so a newly listed asset is usable soon. */
  readonly unknownTtlMs?: number;
  readonly now?: () => number;
}

interface Cached {
  readonly asset: CatalogAsset | undefined;
  readonly until: number;
}

/**
 * Asset lookups through InventoryService.GetAsset, cached per symbol, with one call in flight per
 * symbol however many requests ask at once. An unreachable inventory is `unavailable`.
 */
export function createAssetCatalog(
  inventory: Pick<Client<typeof InventoryService>, "getAsset">,
  options: AssetCatalogOptions,
): AssetCatalog {
  const now = options.now ?? Date.now;
  const cache = new Map<string, Cached>();
  const inFlight = new Map<string, Promise<CatalogAsset | undefined>>();

  async function fetchAsset(symbol: string): Promise<CatalogAsset | undefined> {
    try {
      const { asset } = await inventory.getAsset({ symbol });
      if (!asset || asset.symbol !== symbol) return undefined;
      return { symbol: asset.symbol, precision: asset.precision, active: asset.active };
    } catch (error) {
      if (ConnectError.from(error).code === Code.NotFound) return undefined;
      throw unavailable("the asset catalogue is unavailable; retry later");
    }
  }

  return {
    find(symbol) {
      const hit = cache.get(symbol);
      if (hit && hit.until > now()) return Promise.resolve(hit.asset);
      const pending = inFlight.get(symbol);
      if (pending) return pending;
      const lookup = fetchAsset(symbol)
        .then((asset) => {
          const ttl = asset ? options.ttlMs : (options.unknownTtlMs ?? Math.min(options.ttlMs, 5_000));
          cache.set(symbol, { asset, until: now() + ttl });
          return asset;
        })
        .finally(() => inFlight.delete(symbol));
      inFlight.set(symbol, lookup);
      return lookup;
    },
  };
}
