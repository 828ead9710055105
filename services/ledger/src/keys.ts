import { createHash } from "node:crypto";
import type { Key } from "@bourse/common/storage";

/** Prefix of the exchange's own accounts. User ids are ULIDs, so no user can ever own one of these. */
export const EXCHANGE_ACCOUNT_PREFIX = "exchange:";

/**
 * The account credited with one market's trading fees. One per market rather than one for the whole
 * exchange: only the market's single settlement writer touches it, so fee balances never become one
 * item that every market's settlements contend for.
 */
export const feeAccountId = (market: string): string => `${EXCHANGE_ACCOUNT_PREFIX}fees:${market}`;

/**
 * Index partitions the balance items are spread over. Every balance write also writes its index entry,
 * so one shared index partition would cap the whole exchange's write rate; sixteen keep it far away
 * while the audit still reads them all in sixteen queries.
 */
export const BALANCE_INDEX_SHARDS = 16;

/** The partition that holds an account's balances, holds, release markers and ledger entries. */
export const accountPartition = (accountId: string): string => `USER#${accountId}`;

export const balanceKey = (accountId: string, asset: string): Key => ({
  PK: accountPartition(accountId),
  SK: `BAL#${asset}`,
});

export const holdKey = (accountId: string, referenceId: string): Key => ({
  PK: accountPartition(accountId),
  SK: `HOLD#${referenceId}`,
});

export const releaseKey = (accountId: string, referenceId: string): Key => ({
  PK: accountPartition(accountId),
  SK: `RELEASE#${referenceId}`,
});

/** A deposit or withdrawal's idempotency key; deposits and withdrawals of one account share the keys. */
export const fundingKey = (accountId: string, idempotencyKey: string): Key => ({
  PK: `IDEM#FUNDING#${accountId}#${idempotencyKey}`,
  SK: "IDEM",
});

export const ledgerEntryPrefix = "LEDGER#";

export const ledgerEntryKey = (accountId: string, entryId: string): Key => ({
  PK: accountPartition(accountId),
  SK: `${ledgerEntryPrefix}${entryId}`,
});

/**
 * GSI1 partition of one account's deposit and withdrawal entries (sparse: no other entry has GSI1 keys), sorted
 * by entry id: the portfolio replays them without reading every hold, release and trade entry.
 */
export const accountFundingPartition = (accountId: string): string => `USER#${accountId}#FUNDING`;

/** GSI2 partition of one account's entries in one asset (ListLedgerEntries with an asset filter). */
export const assetLedgerPartition = (accountId: string, asset: string): string =>
  `USER#${accountId}#LEDGER#${asset}`;

/**
 * Written in a trade's settlement transaction; its existence is what makes settlement exactly-once.
 * Trade ids are unique within a market only, so the market is part of the key. Neither a market nor an
 * id may contain `#`, so the key is unambiguous.
 */
export const tradeSettlementKey = (market: string, tradeId: string): Key => ({
  PK: `TRADE#${market}#${tradeId}`,
  SK: "SETTLEMENT",
});

/** The market's sequence item, whose fencing token every settlement transaction checks. */
export const marketSequenceKey = (market: string): Key => ({ PK: `MARKET#${market}`, SK: "SEQUENCE" });

export function balanceIndexPartition(accountId: string): string {
  const shard = (createHash("sha256").update(accountId).digest()[0] ?? 0) % BALANCE_INDEX_SHARDS;
  return balanceIndexShard(shard);
}

export const balanceIndexShard = (shard: number): string => `BALANCES#${String(shard).padStart(2, "0")}`;
