import { queryAll, type Store, toBigInt } from "@bourse/common/storage";
import { accountPartition, auditLedger, holdKey, tradeSettlementKey } from "@bourse/ledger";
import {
  type AccountTradeRecord,
  accountOrdersPartition,
  accountTradeFromItem,
  OPEN_STATES,
  type OrderRecord,
  orderFromItem,
  orderTradesPartition,
} from "@bourse/trading";

/** Every order of the accounts, as stored. */
export async function ordersOf(store: Store, accountIds: readonly string[]): Promise<OrderRecord[]> {
  const orders: OrderRecord[] = [];
  for (const accountId of accountIds) {
    const items = await queryAll(store, { index: "GSI1", partition: accountOrdersPartition(accountId) });
    orders.push(...items.map(orderFromItem));
  }
  return orders;
}

/** Every trade of the accounts, one record per side, as ListMyTrades reads them. */
async function accountTradesOf(store: Store, accountIds: readonly string[]): Promise<AccountTradeRecord[]> {
  const trades: AccountTradeRecord[] = [];
  for (const accountId of accountIds) {
    const items = await queryAll(store, { partition: `ACCOUNT#${accountId}#TRADES` });
    trades.push(...items.map(accountTradeFromItem));
  }
  return trades;
}

const sum = (values: Iterable<bigint>): bigint => {
  let total = 0n;
  for (const value of values) total += value;
  return total;
};

/** What the order's hold must still reserve: nothing once it is done, its unspent part while it is open. */
function expectedHoldRemaining(order: OrderRecord): bigint {
  if (!OPEN_STATES.has(order.status)) return 0n;
  return order.side === "sell"
    ? order.holdAmount - order.filledBase
    : order.holdAmount - order.filledQuote - order.feeQuote;
}

/**
 * DESIGN §3 as the stored data shows it, for the orders of `accountIds` (every account that trades):
 * the ledger audit (conservation, entries replay to balances, held = open holds); each order's hold
 * reserves exactly its unspent part and nothing once it is done; each order's progress equals the sum of
 * its trades; every trade has its settlement record and exactly one buyer and one seller side; and the
 * ledger's trade and fee entries of each account equal what its trades say, so no trade moved money twice.
 * Returns the problems found, empty when all holds.
 */
export async function orderFlowProblems(store: Store, accountIds: readonly string[]): Promise<string[]> {
  const problems: string[] = [];
  const audit = await auditLedger(store);
  problems.push(...audit.discrepancies.map((finding) => `ledger audit: ${finding}`));

  const orders = await ordersOf(store, accountIds);
  for (const order of orders) {
    const where = `order ${order.orderId} (${order.status})`;
    const hold = await store.get(holdKey(order.accountId, order.orderId));
    const remaining = hold ? toBigInt(hold.remaining as bigint) : 0n;
    const expected = expectedHoldRemaining(order);
    if (remaining !== expected)
      problems.push(`${where}: its hold reserves ${remaining}, expected ${expected}`);
    const trades = (
      await queryAll(store, { index: "GSI1", partition: orderTradesPartition(order.orderId) })
    ).map(accountTradeFromItem);
    const filled = [
      sum(trades.map((trade) => trade.quantity)),
      sum(trades.map((trade) => trade.quoteAmount)),
      sum(trades.map((trade) => trade.feeQuote)),
    ];
    const recorded = [order.filledBase, order.filledQuote, order.feeQuote];
    if (filled.join("/") !== recorded.join("/")) {
      problems.push(
        `${where}: filled base/quote/fee ${recorded.join("/")}, its trades sum to ${filled.join("/")}`,
      );
    }
  }

  const trades = await accountTradesOf(store, accountIds);
  const sidesOfTrade = new Map<string, AccountTradeRecord[]>();
  for (const trade of trades) {
    const key = `${trade.market}#${trade.tradeId}`;
    sidesOfTrade.set(key, [...(sidesOfTrade.get(key) ?? []), trade]);
  }
  for (const [key, sides] of sidesOfTrade) {
    const kinds = sides.map((side) => side.side).sort();
    if (kinds.join(",") !== "buy,sell") problems.push(`trade ${key}: sides ${kinds.join(",")}`);
    const [first] = sides;
    if (first && !(await store.get(tradeSettlementKey(first.market, first.tradeId)))) {
      problems.push(`trade ${key}: no settlement record`);
    }
  }

  for (const accountId of accountIds) {
    const mine = trades.filter((trade) => trade.accountId === accountId);
    const expected = new Map<string, bigint>();
    const add = (asset: string, amount: bigint) => expected.set(asset, (expected.get(asset) ?? 0n) + amount);
    for (const trade of mine) {
      const [base, quote] = trade.market.split("-") as [string, string];
      const direction = trade.side === "buy" ? 1n : -1n;
      add(base, direction * trade.quantity);
      add(quote, -direction * trade.quoteAmount - trade.feeQuote);
    }
    const entries = await queryAll(store, {
      partition: accountPartition(accountId),
      sort: { beginsWith: "LEDGER#" },
    });
    const moved = new Map<string, bigint>();
    for (const entry of entries) {
      if (entry.kind !== "trade" && entry.kind !== "fee") continue;
      const asset = String(entry.asset);
      const amount = toBigInt(entry.availableDelta as bigint) + toBigInt(entry.heldDelta as bigint);
      moved.set(asset, (moved.get(asset) ?? 0n) + amount);
    }
    for (const asset of new Set([...expected.keys(), ...moved.keys()])) {
      if ((expected.get(asset) ?? 0n) !== (moved.get(asset) ?? 0n)) {
        problems.push(
          `account ${accountId} ${asset}: trades say ${expected.get(asset) ?? 0n}, ledger trade and fee entries moved ${moved.get(asset) ?? 0n}`,
        );
      }
    }
  }
  return problems;
}
