import { ConditionFailedError, cond, queryAll, type Store } from "@bourse/common/storage";
import type { Market } from "../domain/market.js";
import { MARKETS_INDEX_PARTITION, marketFromItem, marketKey, marketToItem } from "./market-item.js";
import { updateWithRevision } from "./optimistic-update.js";

/** Markets on the storage port. */
export class MarketStore {
  constructor(private readonly store: Store) {}

  async get(symbol: string): Promise<Market | undefined> {
    const item = await this.store.get(marketKey(symbol));
    return item && marketFromItem(item);
  }

  /** Adds a market; false when the symbol is taken (the stored market is left as it is). */
  async create(market: Market): Promise<boolean> {
    try {
      await this.store.put(marketToItem(market, 1), { condition: cond.notExists("PK") });
      return true;
    } catch (error) {
      if (error instanceof ConditionFailedError) return false;
      throw error;
    }
  }

  /** Applies `change` under optimistic concurrency; undefined when the market does not exist. */
  async update(symbol: string, change: (market: Market) => Market): Promise<Market | undefined> {
    const item = await updateWithRevision(this.store, marketKey(symbol), (current) => {
      const before = marketFromItem(current);
      const after = change(before);
      return after === before ? undefined : marketToItem(after, Number(current.revision));
    });
    return item && marketFromItem(item);
  }

  /** Every market, by symbol (a few hundred at most, so no paging at the API). */
  async list(): Promise<Market[]> {
    const items = await queryAll(this.store, { index: "GSI1", partition: MARKETS_INDEX_PARTITION });
    return items.map(marketFromItem);
  }
}
