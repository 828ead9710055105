import { type Condition, cond, type TransactItem } from "@bourse/common/storage";
import { checkStorable } from "./checks.js";
import { balanceItem, ledgerEntryItem } from "./items.js";
import { balanceKey } from "./keys.js";
import { LedgerError } from "./ledger-error.js";
import type { LedgerStamp } from "./stamp.js";
import type { Balance, LedgerEntry, LedgerEntryKind } from "./types.js";

/** One change to one balance, which becomes one ledger entry. */
export interface Movement {
  readonly kind: LedgerEntryKind;
  readonly availableDelta: bigint;
  readonly heldDelta: bigint;
  readonly reference: string;
  /** Recorded on the entry: see `LedgerEntry.usdPrice`. */
  readonly usdPrice?: string;
}

export interface BalanceMutation {
  /** The balance after every movement. */
  readonly balance: Balance;
  /** One entry per movement, in order. */
  readonly entries: readonly LedgerEntry[];
  /** The balance write and the entry puts, for one transaction. */
  readonly items: readonly TransactItem[];
}

/**
 * The one place a balance changes. Applies the movements in order, refusing any that would make
 * available or held negative, and returns the transaction items: a write of the balance conditioned on
 * the version it was read at (so the entries' after-values are exact and a concurrent change makes the
 * transaction fail rather than be lost), with conditions that no part goes negative, plus one immutable
 * ledger entry per movement.
 */
export function mutateBalance(
  before: Balance,
  movements: readonly Movement[],
  stamp: LedgerStamp,
): BalanceMutation {
  let available = before.available;
  let held = before.held;
  const entries: LedgerEntry[] = [];
  for (const movement of movements) {
    available += movement.availableDelta;
    held += movement.heldDelta;
    checkMovedParts(before.asset, available, held);
    entries.push({
      id: stamp.nextId(),
      accountId: before.accountId,
      asset: before.asset,
      scale: before.scale,
      kind: movement.kind,
      availableDelta: movement.availableDelta,
      heldDelta: movement.heldDelta,
      availableAfter: available,
      heldAfter: held,
      reference: movement.reference,
      ...(movement.usdPrice !== undefined && { usdPrice: movement.usdPrice }),
      createdAt: stamp.at,
    });
  }
  const balance: Balance = { ...before, available, held, version: before.version + 1, updatedAt: stamp.at };
  const entryItems = entries.map(
    (entry): TransactItem => ({ kind: "put", item: ledgerEntryItem(entry), condition: cond.notExists("PK") }),
  );
  return { balance, entries, items: [balanceWrite(before, balance), ...entryItems] };
}

/**
 * The balance after the movements, refused as `mutateBalance` refuses them, without the entries and items:
 * for a planner checking op after op against a working copy, which writes the balance once at the end.
 */
export function balanceAfter(before: Balance, movements: readonly Movement[], at: Date): Balance {
  let available = before.available;
  let held = before.held;
  for (const movement of movements) {
    available += movement.availableDelta;
    held += movement.heldDelta;
    checkMovedParts(before.asset, available, held);
  }
  return { ...before, available, held, version: before.version + 1, updatedAt: at };
}

function checkMovedParts(asset: string, available: bigint, held: bigint): void {
  if (available < 0n) throw new LedgerError("insufficient_funds", `insufficient available ${asset}`);
  if (held < 0n) throw new LedgerError("exceeds_hold", `held ${asset} would become negative`);
  checkStorable(asset, available + held);
}

function balanceWrite(before: Balance, after: Balance): TransactItem {
  if (before.version === 0) {
    return { kind: "put", item: balanceItem(after), condition: cond.notExists("PK") };
  }
  const availableDelta = after.available - before.available;
  const heldDelta = after.held - before.held;
  const noneNegative: Condition[] = [];
  if (availableDelta < 0n) noneNegative.push(cond.gte("available", -availableDelta));
  if (heldDelta < 0n) noneNegative.push(cond.gte("held", -heldDelta));
  return {
    kind: "update",
    key: balanceKey(before.accountId, before.asset),
    update: {
      add: { available: availableDelta, held: heldDelta, version: 1 },
      set: { updatedAt: after.updatedAt.toISOString() },
    },
    condition: cond.and(cond.eq("version", before.version), ...noneNegative),
  };
}

/** A balance that has never been written: zero, version 0. */
export function emptyBalance(accountId: string, asset: string, scale: number, at: Date): Balance {
  return { accountId, asset, scale, available: 0n, held: 0n, version: 0, updatedAt: at };
}
