/** Why a balance changed; one ledger entry has one kind. */
export type LedgerEntryKind = "deposit" | "withdrawal" | "hold" | "release" | "trade" | "fee";

/**
 * One account's balance in one asset, in integer units of 10^-scale (the asset's precision).
 * `version` counts the writes; 0 means the balance has never been written.
 */
export interface Balance {
  readonly accountId: string;
  readonly asset: string;
  readonly scale: number;
  readonly available: bigint;
  readonly held: bigint;
  readonly version: number;
  readonly updatedAt: Date;
}

/**
 * One immutable balance change. `availableDelta + heldDelta` is the change of the total; the `*After`
 * fields are the balance right after it, exact because the write was conditioned on the version read.
 */
export interface LedgerEntry {
  readonly id: string;
  readonly accountId: string;
  readonly asset: string;
  readonly scale: number;
  readonly kind: LedgerEntryKind;
  readonly availableDelta: bigint;
  readonly heldDelta: bigint;
  readonly availableAfter: bigint;
  readonly heldAfter: bigint;
  /** The idempotency key, hold or release reference id, or trade id that caused the change. */
  readonly reference: string;
  /**
   * Deposits only: the reference USD price of one unit at the moment of the deposit, as the depositing
   * service knew it (the portfolio's cost basis); absent when it knew none.
   */
  readonly usdPrice?: string;
  readonly createdAt: Date;
}

/** Funds reserved under a reference id (one per order); `remaining` only shrinks. */
export interface Hold {
  readonly accountId: string;
  readonly referenceId: string;
  readonly asset: string;
  readonly scale: number;
  readonly amount: bigint;
  readonly remaining: bigint;
  /** The HOLD entry that reserved the funds. */
  readonly entryId: string;
  readonly createdAt: Date;
}

/** The total change an entry made: what it added to or took from `available + held`. */
export const entryAmount = (entry: LedgerEntry): bigint => entry.availableDelta + entry.heldDelta;

/** The balance as the entry left it. */
export function balanceAfter(entry: LedgerEntry): Pick<Balance, "asset" | "scale" | "available" | "held"> & {
  readonly updatedAt: Date;
} {
  return {
    asset: entry.asset,
    scale: entry.scale,
    available: entry.availableAfter,
    held: entry.heldAfter,
    updatedAt: entry.createdAt,
  };
}
