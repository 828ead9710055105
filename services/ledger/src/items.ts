import { type Item, toBigInt } from "@bourse/common/storage";
import {
  accountFundingPartition,
  assetLedgerPartition,
  balanceIndexPartition,
  balanceKey,
  holdKey,
  ledgerEntryKey,
} from "./keys.js";
import { LedgerError } from "./ledger-error.js";
import type { Balance, Hold, LedgerEntry, LedgerEntryKind } from "./types.js";

/** How balances, holds and ledger entries are laid out as items (see docs/data-model.md). */

function text(item: Item, name: string): string {
  const value = item[name];
  if (typeof value !== "string") throw new LedgerError("inconsistent_state", `${item.SK} lacks ${name}`);
  return value;
}

function integer(item: Item, name: string): number {
  const value = item[name];
  if (typeof value !== "number" || !Number.isSafeInteger(value)) {
    throw new LedgerError("inconsistent_state", `${item.SK} lacks ${name}`);
  }
  return value;
}

function units(item: Item, name: string): bigint {
  const value = item[name];
  if (typeof value !== "number" && typeof value !== "bigint") {
    throw new LedgerError("inconsistent_state", `${item.SK} lacks ${name}`);
  }
  return toBigInt(value);
}

export function balanceItem(balance: Balance): Item {
  return {
    ...balanceKey(balance.accountId, balance.asset),
    GSI1PK: balanceIndexPartition(balance.accountId),
    GSI1SK: `${balance.accountId}#${balance.asset}`,
    accountId: balance.accountId,
    asset: balance.asset,
    scale: balance.scale,
    available: balance.available,
    held: balance.held,
    version: balance.version,
    updatedAt: balance.updatedAt.toISOString(),
  };
}

export function balanceFromItem(item: Item): Balance {
  return {
    accountId: text(item, "accountId"),
    asset: text(item, "asset"),
    scale: integer(item, "scale"),
    available: units(item, "available"),
    held: units(item, "held"),
    version: integer(item, "version"),
    updatedAt: new Date(text(item, "updatedAt")),
  };
}

export function holdItem(hold: Hold): Item {
  return {
    ...holdKey(hold.accountId, hold.referenceId),
    accountId: hold.accountId,
    referenceId: hold.referenceId,
    asset: hold.asset,
    scale: hold.scale,
    amount: hold.amount,
    remaining: hold.remaining,
    entryId: hold.entryId,
    createdAt: hold.createdAt.toISOString(),
  };
}

export function holdFromItem(item: Item): Hold {
  return {
    accountId: text(item, "accountId"),
    referenceId: text(item, "referenceId"),
    asset: text(item, "asset"),
    scale: integer(item, "scale"),
    amount: units(item, "amount"),
    remaining: units(item, "remaining"),
    entryId: text(item, "entryId"),
    createdAt: new Date(text(item, "createdAt")),
  };
}

export function ledgerEntryItem(entry: LedgerEntry): Item {
  return {
    ...ledgerEntryKey(entry.accountId, entry.id),
    ...((entry.kind === "deposit" || entry.kind === "withdrawal") && {
      GSI1PK: accountFundingPartition(entry.accountId),
      GSI1SK: entry.id,
    }),
    GSI2PK: assetLedgerPartition(entry.accountId, entry.asset),
    GSI2SK: entry.id,
    entryId: entry.id,
    accountId: entry.accountId,
    asset: entry.asset,
    scale: entry.scale,
    kind: entry.kind,
    availableDelta: entry.availableDelta,
    heldDelta: entry.heldDelta,
    availableAfter: entry.availableAfter,
    heldAfter: entry.heldAfter,
    reference: entry.reference,
    ...(entry.usdPrice !== undefined && { usdPrice: entry.usdPrice }),
    createdAt: entry.createdAt.toISOString(),
  };
}

const kinds: readonly LedgerEntryKind[] = ["deposit", "withdrawal", "hold", "release", "trade", "fee"];

export function ledgerEntryFromItem(item: Item): LedgerEntry {
  const kind = text(item, "kind") as LedgerEntryKind;
  if (!kinds.includes(kind)) throw new LedgerError("inconsistent_state", `${item.SK} has kind ${kind}`);
  return {
    id: text(item, "entryId"),
    accountId: text(item, "accountId"),
    asset: text(item, "asset"),
    scale: integer(item, "scale"),
    kind,
    availableDelta: units(item, "availableDelta"),
    heldDelta: units(item, "heldDelta"),
    availableAfter: units(item, "availableAfter"),
    heldAfter: units(item, "heldAfter"),
    reference: text(item, "reference"),
    ...(typeof item.usdPrice === "string" && { usdPrice: item.usdPrice }),
    createdAt: new Date(text(item, "createdAt")),
  };
}
