import { cond, type Item, type TransactItem, toBigInt } from "@bourse/common/storage";
import { mutateBalance } from "./balance-mutation.js";
import { holdItem } from "./items.js";
import { holdKey, releaseKey } from "./keys.js";
import { LedgerError } from "./ledger-error.js";
import type { LedgerStamp } from "./stamp.js";
import type { Balance, Hold, LedgerEntry } from "./types.js";

export interface HoldPlan {
  readonly entry: LedgerEntry;
  readonly balance: Balance;
  readonly hold: Hold;
  readonly items: readonly TransactItem[];
}

/** Moves `amount` from available to held and opens a hold under `referenceId`, created only if new. */
export function planHold(
  balance: Balance,
  referenceId: string,
  amount: bigint,
  stamp: LedgerStamp,
): HoldPlan {
  const mutation = mutateBalance(
    balance,
    [{ kind: "hold", availableDelta: -amount, heldDelta: amount, reference: referenceId }],
    stamp,
  );
  const [entry] = mutation.entries;
  if (!entry) throw new Error("a hold always writes one entry");
  const hold: Hold = {
    accountId: balance.accountId,
    referenceId,
    asset: balance.asset,
    scale: balance.scale,
    amount,
    remaining: amount,
    entryId: entry.id,
    createdAt: stamp.at,
  };
  return {
    entry,
    balance: mutation.balance,
    hold,
    items: [...mutation.items, { kind: "put", item: holdItem(hold), condition: cond.notExists("PK") }],
  };
}

/** A hold retry must name the same asset and amount. */
export function checkSameHold(hold: Hold, asset: string, amount: bigint): void {
  if (hold.asset !== asset || hold.amount !== amount) {
    throw new LedgerError("idempotency_conflict", "reference_id was already used for a different hold");
  }
}

/** Takes `amount` off what remains under a hold; the condition makes a hold never go below zero. */
export function consumeHold(hold: Hold, amount: bigint): TransactItem {
  return {
    kind: "update",
    key: holdKey(hold.accountId, hold.referenceId),
    update: { add: { remaining: -amount } },
    condition: cond.and(cond.exists("PK"), cond.gte("remaining", amount)),
  };
}

/** What a release reference was first used for: `requested` is the amount in units, or "all". */
export interface ReleaseRecord {
  readonly holdReferenceId: string;
  readonly asset: string;
  readonly requested: bigint | "all";
  readonly released: bigint;
  /** Absent when nothing remained to release. */
  readonly entryId?: string;
}

export interface ReleasePlan {
  readonly entry?: LedgerEntry;
  readonly balance: Balance;
  readonly released: bigint;
  readonly items: readonly TransactItem[];
}

/**
 * Moves `requested` (or all that remains) of a hold back to available, and records the release under
 * its own reference id so that a retry changes nothing.
 */
export function planRelease(
  balance: Balance,
  hold: Hold,
  referenceId: string,
  requested: bigint | "all",
  stamp: LedgerStamp,
): ReleasePlan {
  const released = requested === "all" ? hold.remaining : requested;
  if (released > hold.remaining) {
    throw new LedgerError("exceeds_hold", `release exceeds what remains under hold ${hold.referenceId}`);
  }
  const record = (entryId?: string): TransactItem =>
    releaseRecordPut(
      hold,
      referenceId,
      { holdReferenceId: hold.referenceId, asset: hold.asset, requested, released, entryId },
      stamp,
    );
  if (released === 0n) return { balance, released, items: [record()] };
  const mutation = mutateBalance(
    balance,
    [{ kind: "release", availableDelta: released, heldDelta: -released, reference: referenceId }],
    stamp,
  );
  const [entry] = mutation.entries;
  if (!entry) throw new Error("a release always writes one entry");
  return {
    entry,
    balance: mutation.balance,
    released,
    items: [...mutation.items, consumeHold(hold, released), record(entry.id)],
  };
}

/** The release record's put, created only if new, so that a retry under the same reference changes nothing. */
export function releaseRecordPut(
  hold: Pick<Hold, "accountId">,
  referenceId: string,
  record: ReleaseRecord,
  stamp: LedgerStamp,
): TransactItem {
  return {
    kind: "put",
    item: {
      ...releaseKey(hold.accountId, referenceId),
      accountId: hold.accountId,
      referenceId,
      holdReferenceId: record.holdReferenceId,
      asset: record.asset,
      requested: record.requested,
      released: record.released,
      entryId: record.entryId,
      createdAt: stamp.at.toISOString(),
    },
    condition: cond.notExists("PK"),
  };
}

export function releaseRecordFromItem(item: Item): ReleaseRecord {
  const { holdReferenceId, asset, requested, released, entryId } = item;
  if (typeof holdReferenceId !== "string" || typeof asset !== "string" || requested === undefined) {
    throw new LedgerError("inconsistent_state", `malformed release record ${item.SK}`);
  }
  return {
    holdReferenceId,
    asset,
    requested: requested === "all" ? "all" : toBigInt(requested),
    released: toBigInt(released),
    entryId: typeof entryId === "string" ? entryId : undefined,
  };
}

export function checkSameRelease(
  record: ReleaseRecord,
  holdReferenceId: string,
  asset: string,
  requested: bigint | "all",
): void {
  if (
    record.holdReferenceId !== holdReferenceId ||
    record.asset !== asset ||
    record.requested !== requested
  ) {
    throw new LedgerError("idempotency_conflict", "reference_id was already used for a different release");
  }
}
