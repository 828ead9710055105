import {
  ConditionFailedError,
  cond,
  type Query,
  queryAll,
  queryItems,
  type Store,
} from "@bourse/common/storage";
import type { Asset } from "../domain/asset.js";
import { type AssetFilter, matchesFilter } from "../domain/asset-filter.js";
import { type AssetOrder, symbolSortKey } from "../domain/asset-order.js";
import {
  ASSETS_BY_NAME,
  ASSETS_BY_RANK,
  ASSETS_PARTITION,
  assetFromItem,
  assetKey,
  assetToItem,
  revisionOf,
} from "./asset-item.js";
import { updateWithRevision } from "./optimistic-update.js";

/** How many items to read per query when a filter may drop most of them. */
const FILTERED_BATCH = 200;

export interface AssetPage {
  readonly assets: Asset[];
  /** True when more matching assets follow the last one returned. */
  readonly more: boolean;
}

function orderedQuery(order: AssetOrder, after: string | undefined): Query {
  switch (order) {
    case "symbol":
      return {
        partition: ASSETS_PARTITION,
        sort: after === undefined ? { beginsWith: symbolSortKey("") } : { gt: after },
      };
    case "market_cap":
      return {
        index: "GSI1",
        partition: ASSETS_BY_RANK,
        sort: after === undefined ? undefined : { gt: after },
      };
    case "name":
      return {
        index: "GSI2",
        partition: ASSETS_BY_NAME,
        sort: after === undefined ? undefined : { gt: after },
      };
  }
}

/** The catalogue on the storage port. */
export class AssetStore {
  constructor(private readonly store: Store) {}

  async get(symbol: string): Promise<Asset | undefined> {
    const item = await this.store.get(assetKey(symbol));
    return item && assetFromItem(item);
  }

  /** Adds an asset; false when the symbol is taken (the stored asset is left as it is). */
  async create(asset: Asset): Promise<boolean> {
    try {
      await this.store.put(assetToItem(asset, 1), { condition: cond.notExists("PK") });
      return true;
    } catch (error) {
      if (error instanceof ConditionFailedError) return false;
      throw error;
    }
  }

  /** Applies `change` under optimistic concurrency; undefined when the asset does not exist. */
  async update(symbol: string, change: (asset: Asset) => Asset): Promise<Asset | undefined> {
    const item = await updateWithRevision(this.store, assetKey(symbol), (current) => {
      const before = assetFromItem(current);
      const after = change(before);
      return after === before ? undefined : assetToItem(after, revisionOf(current));
    });
    return item && assetFromItem(item);
  }

  /**
   * Up to `limit` assets matching `filter`, in its order, strictly after the sort key `after`. Reads one sorted
   * partition (table or index) from that key on, filtering as it goes, until it has one asset more than asked
   * for (which tells whether another page follows) or reaches the end.
   */
  async list(filter: AssetFilter, after: string | undefined, limit: number): Promise<AssetPage> {
    const filtered = filter.query !== "" || filter.category !== "";
    const query = orderedQuery(filter.order, after);
    const found: Asset[] = [];
    for await (const item of queryItems(this.store, {
      ...query,
      limit: filtered ? FILTERED_BATCH : limit + 1,
    })) {
      const asset = assetFromItem(item);
      if (matchesFilter(asset, filter)) found.push(asset);
      if (found.length > limit) break;
    }
    return { assets: found.slice(0, limit), more: found.length > limit };
  }

  /** Every asset in symbol order: the catalogue is a few hundred items, read a page at a time. */
  async all(): Promise<Asset[]> {
    const items = await queryAll(this.store, orderedQuery("symbol", undefined));
    return items.map(assetFromItem);
  }
}
