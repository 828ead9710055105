import { queryAll, type Store } from "@bourse/common/storage";
import { tradeSettlementKey } from "@bourse/ledger";
import { type AccountTradeRecord, accountTradeFromItem, orderTradesPartition } from "@bourse/trading";

/** The trades an order made as taker, in the order they were made (GSI1, so eventually consistent). */
export async function takerTrades(store: Store, orderId: string): Promise<AccountTradeRecord[]> {
  const items = await queryAll(store, { index: "GSI1", partition: orderTradesPartition(orderId) });
  return items
    .map(accountTradeFromItem)
    .filter((trade) => !trade.maker)
    .sort((a, b) => a.sequence - b.sequence);
}

/**
 * The distinct `settledAt` stamps of the trades an order made as taker, oldest first: how many settlement
 * transactions committed its fills, at least. One transaction stamps all its settlement records alike, so two
 * stamps are two transactions; two transactions within one millisecond would show as one.
 */
export async function takerSettlementStamps(store: Store, orderId: string): Promise<string[]> {
  const stamps = new Set<string>();
  for (const trade of await takerTrades(store, orderId)) {
    const settlement = await store.get(tradeSettlementKey(trade.market, trade.tradeId));
    stamps.add(String(settlement?.settledAt));
  }
  return [...stamps].sort();
}

/** Whether the account took liquidity at or after `since`: a trade of it as taker executed since then. */
export async function tookSince(store: Store, accountId: string, since: Date): Promise<boolean> {
  const items = await queryAll(store, {
    partition: `ACCOUNT#${accountId}#TRADES`,
    sort: { gte: since.toISOString() },
  });
  return items.map(accountTradeFromItem).some((trade) => !trade.maker);
}
