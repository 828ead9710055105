import type { Item, Key, Store } from "@bourse/common/storage";
import { type ReleaseRecord, releaseRecordFromItem } from "./holds.js";
import { balanceFromItem, holdFromItem } from "./items.js";
import { balanceKey, holdKey, releaseKey, tradeSettlementKey } from "./keys.js";
import { LedgerError } from "./ledger-error.js";
import { type TradeToSettle, touchedBalances } from "./settlement.js";
import { type SettledTrade, settledTradeFromItem } from "./settlement-record.js";
import type { Balance, Hold } from "./types.js";

/**
 * One change of a ledger batch (planLedgerBatch). Amounts are units of the asset (10^-scale); a hold's
 * `scale` is the asset's precision, which must be that of the balance it draws on.
 */
export type LedgerOp =
  | {
      readonly kind: "hold";
      readonly accountId: string;
      readonly asset: string;
      readonly scale: number;
      readonly referenceId: string;
      readonly amount: bigint;
    }
  | { readonly kind: "trade"; readonly trade: TradeToSettle }
  | {
      readonly kind: "release";
      readonly accountId: string;
      readonly asset: string;
      readonly holdReferenceId: string;
      readonly referenceId: string;
      readonly amount: bigint | "all";
    };

/** Ids of the maps of a {@link LedgerBatchState}. */
export const balanceId = (accountId: string, asset: string): string => `${accountId}#${asset}`;
export const holdId = (accountId: string, referenceId: string): string => `${accountId}#${referenceId}`;
export const settlementId = (market: string, tradeId: string): string => `${market}#${tradeId}`;
export const releaseId = (accountId: string, referenceId: string): string => `${accountId}#${referenceId}`;

/** What a batch's ops touch, as stored before the batch; absent entries do not exist. */
export interface LedgerBatchState {
  /** By `balanceId(accountId, asset)`. */
  readonly balances: ReadonlyMap<string, Balance>;
  /** By `holdId(accountId, referenceId)`. */
  readonly holds: ReadonlyMap<string, Hold>;
  /** Settlement records, by `settlementId(market, tradeId)`. */
  readonly settlements: ReadonlyMap<string, SettledTrade>;
  /** Release records, by `releaseId(accountId, referenceId)`. */
  readonly releases: ReadonlyMap<string, ReleaseRecord>;
}

interface Reads {
  readonly balances: Map<string, Key>;
  readonly holds: Map<string, Key>;
  readonly settlements: Map<string, Key>;
  readonly releases: Map<string, Key>;
}

export interface LedgerBatchReadOptions {
  /**
   * Whether the caller knows an op to be new: the record the op itself creates (a hold op's hold, a
   * release op's release record, a trade op's settlement record) cannot be stored yet, so it is not
   * read and counts as absent. Safe because the plan writes each of these records only if it does not
   * exist (`attribute_not_exists`): a wrong answer cancels the transaction rather than applying an op
   * twice. After a refused transaction, read again without it. Records other ops need (the hold a
   * trade or release draws on) are read all the same.
   */
  readonly isNew?: (op: LedgerOp) => boolean;
}

function collectReads(op: LedgerOp, reads: Reads, isNew: boolean): void {
  switch (op.kind) {
    case "hold":
      reads.balances.set(balanceId(op.accountId, op.asset), balanceKey(op.accountId, op.asset));
      if (!isNew) {
        reads.holds.set(holdId(op.accountId, op.referenceId), holdKey(op.accountId, op.referenceId));
      }
      return;
    case "release":
      reads.balances.set(balanceId(op.accountId, op.asset), balanceKey(op.accountId, op.asset));
      reads.holds.set(holdId(op.accountId, op.holdReferenceId), holdKey(op.accountId, op.holdReferenceId));
      if (!isNew) {
        reads.releases.set(releaseId(op.accountId, op.referenceId), releaseKey(op.accountId, op.referenceId));
      }
      return;
    case "trade": {
      const { trade } = op;
      for (const [accountId, asset] of touchedBalances(trade)) {
        reads.balances.set(balanceId(accountId, asset), balanceKey(accountId, asset));
      }
      for (const party of [trade.buyer, trade.seller]) {
        reads.holds.set(
          holdId(party.accountId, party.holdReferenceId),
          holdKey(party.accountId, party.holdReferenceId),
        );
      }
      if (!isNew) {
        reads.settlements.set(
          settlementId(trade.market, trade.tradeId),
          tradeSettlementKey(trade.market, trade.tradeId),
        );
      }
      return;
    }
  }
}

function decodeAll<T>(
  keys: ReadonlyMap<string, Key>,
  items: readonly (Item | undefined)[],
  decode: (item: Item) => T,
): Map<string, T> {
  const found = new Map<string, T>();
  [...keys.keys()].forEach((id, index) => {
    const item = items[index];
    if (item !== undefined) found.set(id, decode(item));
  });
  return found;
}

/**
 * Reads, strongly consistently and in one batch read, every balance, hold, settlement record and
 * release record that `ops` touch (but the records of ops `options.isNew` says are new). An op too
 * malformed to name what it touches (a market that is not BASE-QUOTE) reads nothing; planLedgerBatch
 * reports it.
 */
export async function readLedgerBatchState(
  store: Store,
  ops: readonly LedgerOp[],
  options: LedgerBatchReadOptions = {},
): Promise<LedgerBatchState> {
  const reads: Reads = { balances: new Map(), holds: new Map(), settlements: new Map(), releases: new Map() };
  for (const op of ops) {
    try {
      collectReads(op, reads, options.isNew?.(op) ?? false);
    } catch (error) {
      if (!(error instanceof LedgerError)) throw error;
    }
  }
  const groups = [reads.balances, reads.holds, reads.settlements, reads.releases];
  const items = await store.getMany(
    groups.flatMap((keys) => [...keys.values()]),
    { consistent: true },
  );
  const slices: (Item | undefined)[][] = [];
  let start = 0;
  for (const keys of groups) {
    slices.push(items.slice(start, start + keys.size));
    start += keys.size;
  }
  const [balanceItems = [], holdItems = [], settlementItems = [], releaseItems = []] = slices;
  const balances = decodeAll(reads.balances, balanceItems, balanceFromItem);
  const holds = decodeAll(reads.holds, holdItems, holdFromItem);
  const settlements = decodeAll(reads.settlements, settlementItems, settledTradeFromItem);
  const releases = decodeAll(reads.releases, releaseItems, releaseRecordFromItem);
  return { balances, holds, settlements, releases };
}
