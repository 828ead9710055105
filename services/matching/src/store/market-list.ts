import { queryAll, type Store } from "@bourse/common/storage";
import { MARKETS_INDEX_PARTITION, marketFromItem } from "@bourse/inventory/items";

/** Every market in inventory's table, halted ones included (their books still serve cancels). */
export async function listMarketSymbols(store: Store): Promise<string[]> {
  const items = await queryAll(store, { index: "GSI1", partition: MARKETS_INDEX_PARTITION });
  return items.map((item) => marketFromItem(item).symbol);
}
