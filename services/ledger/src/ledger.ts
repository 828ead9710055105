import type { Store, TransactItem } from "@bourse/common/storage";
import { emptyBalance } from "./balance-mutation.js";
import { planLedgerBatch } from "./batch-plan.js";
import { type LedgerOp, readLedgerBatchState } from "./batch-state.js";
import { checkAsset, checkFundingAmount, checkIdentifier, checkScale, parseAmount } from "./checks.js";
import { checkSameFunding, type FundingKind, fundingRecordFromItem, planFunding } from "./funding.js";
import { checkSameHold, checkSameRelease, planHold, planRelease, releaseRecordFromItem } from "./holds.js";
import { holdFromItem } from "./items.js";
import { KeyedSerializer } from "./keyed-serializer.js";
import { fundingKey, holdKey, releaseKey } from "./keys.js";
import { LedgerError } from "./ledger-error.js";
import { type Attempt, defaultRetryPolicy, type RetryPolicy, runOptimistic } from "./optimistic.js";
import { readBalance, readLedgerEntry } from "./reads.js";
import { type SettlementPlan, type TradeToSettle, touchedBalances } from "./settlement.js";
import { createStampFactory } from "./stamp.js";
import { type Balance, balanceAfter, type LedgerEntry } from "./types.js";

/** A balance as a response shows it. */
export type BalanceSnapshot = Pick<Balance, "asset" | "scale" | "available" | "held" | "updatedAt">;

export interface FundingInput {
  readonly accountId: string;
  readonly asset: string;
  /** The asset's precision, from the catalogue. Optional for withdrawals: the balance knows it. */
  readonly scale?: number;
  /** Positive decimal string with at most `scale` decimals. */
  readonly amount: string;
  readonly idempotencyKey: string;
  /**
   * Deposits: the reference USD price of one unit now (positive decimal, at most 18 decimals), recorded on the
   * entry for the portfolio's cost basis. A retry returns the first entry, whatever price it brings.
   */
  readonly usdPrice?: string;
}

/** The result of a change; on a replay, the first result, and `replayed` is true. */
export interface ChangeOutcome {
  readonly entry: LedgerEntry;
  readonly balance: BalanceSnapshot;
  readonly replayed: boolean;
}

export interface HoldInput {
  readonly accountId: string;
  readonly asset: string;
  readonly amount: string;
  readonly referenceId: string;
}

export interface ReleaseInput {
  readonly accountId: string;
  readonly asset: string;
  readonly holdReferenceId: string;
  readonly referenceId: string;
  /** A positive decimal string, or "all" for whatever remains under the hold. */
  readonly amount: string;
}

export interface ReleaseOutcome {
  /** Absent when nothing remained to release. */
  readonly entry?: LedgerEntry;
  readonly balance: BalanceSnapshot;
  readonly released: bigint;
  readonly replayed: boolean;
}

export interface SettleInput {
  readonly trade: TradeToSettle;
  /** The fencing clause: `marketFenceItem(trade.market, lease.fencingToken)` of a `claimMarket` lease. */
  readonly fence: TransactItem;
  /** Further items for the same transaction (orders, the trade record), rebuilt on every attempt. */
  readonly extraItems?: (plan: SettlementPlan) => readonly TransactItem[] | Promise<readonly TransactItem[]>;
}

export interface SettleOutcome {
  /**
   * False when the same trade had been settled before and nothing changed. A different trade under a
   * settled market and trade id is refused as `idempotency_conflict`.
   */
  readonly newlySettled: boolean;
  readonly entries: readonly LedgerEntry[];
}

/** The balance-mutation API: every way money moves, each all-or-nothing and idempotent. */
export interface Ledger {
  deposit(input: FundingInput): Promise<ChangeOutcome>;
  withdraw(input: FundingInput): Promise<ChangeOutcome>;
  hold(input: HoldInput): Promise<ChangeOutcome>;
  release(input: ReleaseInput): Promise<ReleaseOutcome>;
  settleTrade(input: SettleInput): Promise<SettleOutcome>;
}

export interface LedgerOptions {
  readonly now?: () => Date;
  readonly retry?: RetryPolicy;
}

const snapshotOf = ({ asset, scale, available, held, updatedAt }: BalanceSnapshot): BalanceSnapshot => ({
  asset,
  scale,
  available,
  held,
  updatedAt,
});

const fresh = (entry: LedgerEntry): ChangeOutcome => ({
  entry,
  balance: balanceAfter(entry),
  replayed: false,
});

export function createLedger(store: Store, options: LedgerOptions = {}): Ledger {
  const newStamp = createStampFactory(options.now);
  const retry = options.retry ?? defaultRetryPolicy;
  const queue = new KeyedSerializer();
  /** One change at a time per balance in this process; see KeyedSerializer. */
  const serially = <T>(
    balances: ReadonlyArray<readonly [string, string]>,
    attempt: () => Promise<Attempt<T>>,
  ) =>
    queue.run(
      balances.map(([accountId, asset]) => `${accountId}#${asset}`),
      () => runOptimistic(store, attempt, retry),
    );

  async function entryOf(accountId: string, entryId: string): Promise<LedgerEntry> {
    const entry = await readLedgerEntry(store, accountId, entryId);
    if (!entry) throw new LedgerError("inconsistent_state", `ledger entry ${entryId} is missing`);
    return entry;
  }

  async function replayOf(accountId: string, entryId: string): Promise<ChangeOutcome> {
    const entry = await entryOf(accountId, entryId);
    return { entry, balance: balanceAfter(entry), replayed: true };
  }

  async function fund(kind: FundingKind, input: FundingInput): Promise<ChangeOutcome> {
    const { accountId, asset, idempotencyKey } = input;
    checkIdentifier("account_id", accountId);
    checkAsset(asset);
    checkIdentifier("idempotency_key", idempotencyKey);
    if (input.scale !== undefined) checkScale(input.scale);
    return serially<ChangeOutcome>([[accountId, asset]], async () => {
      const [recordItem, stored] = await Promise.all([
        store.get(fundingKey(accountId, idempotencyKey)),
        readBalance(store, accountId, asset),
      ]);
      const scale = input.scale ?? stored?.scale;
      if (scale === undefined) throw new LedgerError("no_balance", `no ${asset} balance`);
      const amount = parseAmount("amount", input.amount, scale, { positive: true });
      checkFundingAmount(amount, scale);
      if (input.usdPrice !== undefined) parseAmount("usd_price", input.usdPrice, 18, { positive: true });
      if (recordItem) {
        const record = fundingRecordFromItem(recordItem);
        checkSameFunding(record, kind, asset, amount);
        return { result: await replayOf(accountId, record.entryId) };
      }
      if (stored && stored.scale !== scale) {
        throw new LedgerError("inconsistent_state", `${asset} balance is stored at another precision`);
      }
      if (kind === "withdrawal" && !stored)
        throw new LedgerError("insufficient_funds", `no ${asset} balance`);
      const stamp = newStamp();
      const before = stored ?? emptyBalance(accountId, asset, scale, stamp.at);
      const plan = planFunding(kind, before, amount, idempotencyKey, stamp, input.usdPrice);
      return { result: fresh(plan.entry), items: plan.items };
    });
  }

  return {
    deposit: (input) => fund("deposit", input),
    withdraw: (input) => fund("withdrawal", input),

    async hold(input) {
      const { accountId, asset, referenceId } = input;
      checkIdentifier("account_id", accountId);
      checkAsset(asset);
      checkIdentifier("reference_id", referenceId);
      return serially<ChangeOutcome>([[accountId, asset]], async () => {
        const [holdItem, balance] = await Promise.all([
          store.get(holdKey(accountId, referenceId)),
          readBalance(store, accountId, asset),
        ]);
        if (holdItem) {
          const hold = holdFromItem(holdItem);
          checkSameHold(hold, asset, parseAmount("amount", input.amount, hold.scale, { positive: true }));
          return { result: await replayOf(accountId, hold.entryId) };
        }
        if (!balance) throw new LedgerError("no_balance", `no ${asset} balance`);
        const amount = parseAmount("amount", input.amount, balance.scale, { positive: true });
        const plan = planHold(balance, referenceId, amount, newStamp());
        return { result: fresh(plan.entry), items: plan.items };
      });
    },

    async release(input): Promise<ReleaseOutcome> {
      const { accountId, asset, holdReferenceId, referenceId } = input;
      checkIdentifier("account_id", accountId);
      checkAsset(asset);
      checkIdentifier("hold_reference_id", holdReferenceId);
      checkIdentifier("reference_id", referenceId);
      return serially<ReleaseOutcome>([[accountId, asset]], async () => {
        const [recordItem, holdItem, balance] = await Promise.all([
          store.get(releaseKey(accountId, referenceId)),
          store.get(holdKey(accountId, holdReferenceId)),
          readBalance(store, accountId, asset),
        ]);
        const hold = holdItem && holdFromItem(holdItem);
        if (!hold) throw new LedgerError("hold_not_found", `no hold ${holdReferenceId}`);
        if (hold.asset !== asset)
          throw new LedgerError("invalid_argument", `hold ${holdReferenceId} is not ${asset}`);
        const requested =
          input.amount === "all"
            ? "all"
            : parseAmount("amount", input.amount, hold.scale, { positive: true });
        if (recordItem) {
          const record = releaseRecordFromItem(recordItem);
          checkSameRelease(record, holdReferenceId, asset, requested);
          const entry = record.entryId ? await entryOf(accountId, record.entryId) : undefined;
          const current = entry ? balanceAfter(entry) : balance;
          if (!current) throw new LedgerError("inconsistent_state", `no ${asset} balance under a hold`);
          return {
            result: { entry, balance: snapshotOf(current), released: record.released, replayed: true },
          };
        }
        if (!balance) throw new LedgerError("inconsistent_state", `no ${asset} balance under a hold`);
        const plan = planRelease(balance, hold, referenceId, requested, newStamp());
        return {
          result: {
            entry: plan.entry,
            balance: plan.entry ? balanceAfter(plan.entry) : snapshotOf(balance),
            released: plan.released,
            replayed: false,
          },
          items: plan.items,
        };
      });
    },

    async settleTrade({ trade, fence, extraItems }) {
      return serially<SettleOutcome>(touchedBalances(trade), async () => {
        const ops: LedgerOp[] = [{ kind: "trade", trade }];
        const plan = planLedgerBatch(ops, await readLedgerBatchState(store, ops), newStamp());
        const [outcome] = plan.outcomes;
        if (!outcome) throw new Error("a plan has one outcome per op");
        if (!outcome.ok) throw outcome.error;
        if (outcome.replayed) return { result: { newlySettled: false, entries: [] } };
        const extra = extraItems ? await extraItems({ entries: outcome.entries, items: plan.items }) : [];
        return {
          result: { newlySettled: true, entries: outcome.entries },
          items: [...plan.items, fence, ...extra],
          fenceIndex: plan.items.length,
        };
      });
    },
  };
}
