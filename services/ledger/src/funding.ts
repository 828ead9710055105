import { cond, type Item, type TransactItem, toBigInt } from "@bourse/common/storage";
import { mutateBalance } from "./balance-mutation.js";
import { checkBalanceLimit } from "./checks.js";
import { fundingKey } from "./keys.js";
import { LedgerError } from "./ledger-error.js";
import type { LedgerStamp } from "./stamp.js";
import type { Balance, LedgerEntry } from "./types.js";

/** Money entering (simulated funding) or leaving the exchange. */
export type FundingKind = "deposit" | "withdrawal";

/** What an idempotency key was first used for, and the entry it wrote. */
export interface FundingRecord {
  readonly kind: FundingKind;
  readonly asset: string;
  readonly amount: bigint;
  readonly entryId: string;
}

export interface FundingPlan {
  readonly entry: LedgerEntry;
  readonly balance: Balance;
  readonly items: readonly TransactItem[];
}

/**
 * A deposit or withdrawal of `amount` units: the balance change, its entry (with `usdPrice`, if given), and the idempotency record,
 * which is created only if the key is new, so a concurrent duplicate fails the whole transaction.
 * A deposit may not take the balance beyond its maximum; a withdrawal always may shrink it.
 */
export function planFunding(
  kind: FundingKind,
  balance: Balance,
  amount: bigint,
  idempotencyKey: string,
  stamp: LedgerStamp,
  usdPrice?: string,
): FundingPlan {
  const delta = kind === "deposit" ? amount : -amount;
  const mutation = mutateBalance(
    balance,
    [{ kind, availableDelta: delta, heldDelta: 0n, reference: idempotencyKey, usdPrice }],
    stamp,
  );
  const [entry] = mutation.entries;
  if (!entry) throw new Error("a funding movement always writes one entry");
  const { available, held } = mutation.balance;
  if (kind === "deposit") checkBalanceLimit(balance.asset, available + held, balance.scale);
  const record: Item = {
    ...fundingKey(balance.accountId, idempotencyKey),
    accountId: balance.accountId,
    kind,
    asset: balance.asset,
    amount,
    entryId: entry.id,
    createdAt: stamp.at.toISOString(),
  };
  return {
    entry,
    balance: mutation.balance,
    items: [...mutation.items, { kind: "put", item: record, condition: cond.notExists("PK") }],
  };
}

export function fundingRecordFromItem(item: Item): FundingRecord {
  const { kind, asset, amount, entryId } = item;
  if (
    (kind !== "deposit" && kind !== "withdrawal") ||
    typeof asset !== "string" ||
    typeof entryId !== "string"
  ) {
    throw new LedgerError("inconsistent_state", `malformed idempotency record ${item.PK}`);
  }
  return { kind, asset, amount: toBigInt(amount), entryId };
}

/** A retry must ask for exactly what the key was first used for; anything else is a client bug. */
export function checkSameFunding(
  record: FundingRecord,
  kind: FundingKind,
  asset: string,
  amount: bigint,
): void {
  if (record.kind !== kind || record.asset !== asset || record.amount !== amount) {
    throw new LedgerError("idempotency_conflict", "idempotency_key was already used for a different request");
  }
}
