import { cond, type Store, type TransactItem } from "@bourse/common/storage";
import { assetFromItem, assetKey, type Market, marketFromItem, marketKey } from "@bourse/inventory/items";

/**
 * A market's trading rules as orders and matching use them: inventory's market (decimal strings) plus the
 * precisions of its two assets, which fix the integer units of every amount.
 */
export interface TradingMarket extends Omit<Market, "statusReason" | "updatedAt"> {
  readonly baseScale: number;
  readonly quoteScale: number;
}

/** An asset's precision never changes once it is listed, so it is read once per store and process. */
const precisionsByStore = new WeakMap<Store, Map<string, number>>();

async function assetPrecision(store: Store, symbol: string): Promise<number> {
  let precisions = precisionsByStore.get(store);
  if (precisions === undefined) {
    precisions = new Map();
    precisionsByStore.set(store, precisions);
  }
  const known = precisions.get(symbol);
  if (known !== undefined) return known;
  const item = await store.get(assetKey(symbol));
  if (item === undefined) throw new Error(`market asset ${symbol} is not in the catalogue`);
  const { precision } = assetFromItem(item);
  precisions.set(symbol, precision);
  return precision;
}

/** A market's rules and the revision of the item they were read from (inventory counts every change). */
export interface RevisedTradingMarket {
  readonly market: TradingMarket;
  readonly revision: number;
}

/**
 * Reads a market's rules, or undefined when there is no such market. The market item is read strongly
 * consistently on every call, so a halt or a fee change applies to the very next order.
 */
export async function readTradingMarket(store: Store, symbol: string): Promise<TradingMarket | undefined> {
  return (await readRevisedTradingMarket(store, symbol))?.market;
}

/** `readTradingMarket` with the item's revision, for `marketUnchangedCheck`. */
export async function readRevisedTradingMarket(
  store: Store,
  symbol: string,
): Promise<RevisedTradingMarket | undefined> {
  const item = await store.get(marketKey(symbol), { consistent: true });
  if (item === undefined) return undefined;
  const { statusReason: _reason, updatedAt: _updated, ...rules } = marketFromItem(item);
  const [baseScale, quoteScale] = await Promise.all([
    assetPrecision(store, rules.base),
    assetPrecision(store, rules.quote),
  ]);
  return { market: { ...rules, baseScale, quoteScale }, revision: Number(item.revision) };
}

/**
 * A transaction item that holds only while the market is active and still at the revision its rules were
 * read at: a write made on rules read earlier carries it, so that a halt or a change of the rules since
 * cancels the write.
 */
export function marketUnchangedCheck({ market, revision }: RevisedTradingMarket): TransactItem {
  return {
    kind: "conditionCheck",
    key: marketKey(market.symbol),
    condition: cond.and(cond.eq("status", "active"), cond.eq("revision", revision)),
  };
}
