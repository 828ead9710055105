import { queryAll, type Store } from "@bourse/common/storage";
import { balanceFromItem, ledgerEntryFromItem } from "./items.js";
import {
  accountFundingPartition,
  accountPartition,
  assetLedgerPartition,
  balanceKey,
  ledgerEntryKey,
  ledgerEntryPrefix,
} from "./keys.js";
import type { Balance, LedgerEntry } from "./types.js";

export async function readBalance(
  store: Store,
  accountId: string,
  asset: string,
): Promise<Balance | undefined> {
  const item = await store.get(balanceKey(accountId, asset));
  return item && balanceFromItem(item);
}

export async function readLedgerEntry(
  store: Store,
  accountId: string,
  entryId: string,
): Promise<LedgerEntry | undefined> {
  const item = await store.get(ledgerEntryKey(accountId, entryId));
  return item && ledgerEntryFromItem(item);
}

/** Every balance an account has ever had, sorted by asset symbol. */
export async function listBalances(store: Store, accountId: string): Promise<Balance[]> {
  const items = await queryAll(store, {
    partition: accountPartition(accountId),
    sort: { beginsWith: "BAL#" },
  });
  return items.map(balanceFromItem);
}

export interface LedgerEntryQuery {
  /** Only this asset's entries (read from an index, so eventually consistent on DynamoDB). */
  readonly asset?: string;
  /** Only entries older than this entry id: the last id of the previous page. */
  readonly before?: string;
  readonly limit: number;
}

/** An account's ledger entries, newest first. */
export async function listLedgerEntries(
  store: Store,
  accountId: string,
  query: LedgerEntryQuery,
): Promise<LedgerEntry[]> {
  // The table range is inclusive, so the entry named by `before` is read and dropped.
  const limit = query.limit + (query.before ? 1 : 0);
  const items =
    query.asset === undefined
      ? await queryAll(
          store,
          {
            partition: accountPartition(accountId),
            sort: query.before
              ? { between: [ledgerEntryPrefix, `${ledgerEntryPrefix}${query.before}`] }
              : { beginsWith: ledgerEntryPrefix },
            forward: false,
          },
          limit,
        )
      : await queryAll(
          store,
          {
            index: "GSI2",
            partition: assetLedgerPartition(accountId, query.asset),
            sort: query.before ? { lt: query.before } : undefined,
            forward: false,
          },
          limit,
        );
  return items
    .map(ledgerEntryFromItem)
    .filter((entry) => entry.id !== query.before)
    .slice(0, query.limit);
}

/**
 * Every deposit and withdrawal entry of an account, oldest first (a sparse index, so eventually consistent on
 * DynamoDB: a movement a moment old may be missing).
 */
export async function listFundingEntries(store: Store, accountId: string): Promise<LedgerEntry[]> {
  const items = await queryAll(store, { index: "GSI1", partition: accountFundingPartition(accountId) });
  return items.map(ledgerEntryFromItem);
}
