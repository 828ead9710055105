import { unavailable } from "@bourse/common";
import type { InventoryService } from "@bourse/proto/bourse/inventory/v1/inventory_service_pb";
import { type Client, Code, ConnectError } from "@connectrpc/connect";
import { LRUCache } from "lru-cache";

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
  /** Symbols remembered at most, known or not; the least recently used go first. */
  readonly maxEntries?: number;
  readonly now?: () => number;
}

/** "Unknown" is an answer too, kept for a shorter while. */
interface Cached {
  readonly asset: CatalogAsset | undefined;
  readonly until: number;
}

const DEFAULT_MAX_ENTRIES = 10_000;

/**
 * Asset lookups through InventoryService.GetAsset, cached per symbol in a bounded LRU (any client can
 * name any number of symbols that do not exist), with one call in flight per symbol however many
 * requests ask at once. An unreachable inventory is `unavailable`.
 */
export function createAssetCatalog(
  inventory: Pick<Client<typeof InventoryService>, "getAsset">,
  options: AssetCatalogOptions,
): AssetCatalog {
  const now = options.now ?? Date.now;
  // Expired entries are replaced on their next lookup or evicted as least recently used.
  const cache = new LRUCache<string, Cached>({ max: options.maxEntries ?? DEFAULT_MAX_ENTRIES });
  const unknownTtlMs = options.unknownTtlMs ?? Math.min(options.ttlMs, 5_000);
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
          cache.set(symbol, { asset, until: now() + (asset ? options.ttlMs : unknownTtlMs) });
          return asset;
        })
        .finally(() => inFlight.delete(symbol));
      inFlight.set(symbol, lookup);
      return lookup;
    },
  };
}
