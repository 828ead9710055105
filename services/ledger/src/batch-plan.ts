import { cond, type TransactItem } from "@bourse/common/storage";
import { balanceAfter, emptyBalance, type Movement, mutateBalance } from "./balance-mutation.js";
import {
  balanceId,
  holdId,
  type LedgerBatchState,
  type LedgerOp,
  releaseId,
  settlementId,
} from "./batch-state.js";
import { checkAsset, checkIdentifier, checkScale } from "./checks.js";
import {
  checkSameHold,
  checkSameRelease,
  consumeHold,
  type ReleaseRecord,
  releaseRecordPut,
} from "./holds.js";
import { holdItem } from "./items.js";
import { LedgerError } from "./ledger-error.js";
import { checkParties, parseMarket, settledTradeOf, type TradeToSettle, tradeMoves } from "./settlement.js";
import { checkSameTrade, type SettledTrade, settlementRecordPut } from "./settlement-record.js";
import type { LedgerStamp } from "./stamp.js";
import type { Balance, Hold, LedgerEntry } from "./types.js";

/** What became of one op: applied (or recognised as a replay, which changes nothing), or refused. */
export type LedgerOpOutcome =
  | {
      readonly ok: true;
      readonly replayed: boolean;
      /** For a release: the units moved back to available (on a replay, those of the first time). */
      readonly released?: bigint;
      /** The entries the op writes; none on a replay. */
      readonly entries: LedgerEntry[];
    }
  | { readonly ok: false; readonly error: LedgerError };

export interface LedgerBatchPlan {
  /** Every write of the applied ops, each key at most once; add the fence and your own items. */
  readonly items: TransactItem[];
  /** One per op, in order. */
  readonly outcomes: LedgerOpOutcome[];
  /** The state every written balance is left in, `version` included: what the batch's readers are told. */
  readonly balances: readonly Balance[];
}

/** A movement of a balance in the batch: the `index`th of the balance's movements. */
interface MovementRef {
  readonly balance: string;
  readonly index: number;
}

interface BalanceWork {
  /** As stored (or empty, version 0, when it never was): the single write is conditioned on it. */
  readonly before: Balance;
  current: Balance;
  readonly movements: Movement[];
}

interface HoldWork {
  readonly stored?: Hold;
  current: Hold;
  /** The hold movement of a hold opened by this batch, whose entry the hold item names. */
  readonly opening?: MovementRef;
}

interface BalanceChange {
  readonly accountId: string;
  readonly asset: string;
  readonly scale: number;
  readonly movements: readonly Movement[];
}

interface HoldCharge {
  readonly accountId: string;
  readonly holdReferenceId: string;
  readonly amount: bigint;
}

interface Applied {
  readonly replayed: boolean;
  readonly released?: bigint;
  readonly movements: readonly MovementRef[];
}

const replayed = (released?: bigint): Applied => ({ replayed: true, released, movements: [] });

/**
 * Applies ops one after another to working copies of what the batch state read, so that each op sees the
 * ones before it. An op is applied whole or not at all: a refused op leaves the working copies as they were.
 */
class BatchWork {
  private readonly balances = new Map<string, BalanceWork>();
  private readonly holds = new Map<string, HoldWork>();
  private readonly settlements = new Map<
    string,
    { readonly trade: SettledTrade; readonly executedAt: Date }
  >();
  private readonly releases = new Map<
    string,
    {
      readonly accountId: string;
      readonly referenceId: string;
      readonly record: ReleaseRecord;
      readonly movement?: MovementRef;
    }
  >();
  /** `at` dates the balances the batch creates; the entries' ids and times come from the stamp `write` is given. */
  constructor(
    private readonly state: LedgerBatchState,
    private readonly at: Date,
  ) {}

  private balance(accountId: string, asset: string): Balance | undefined {
    const id = balanceId(accountId, asset);
    return this.balances.get(id)?.current ?? this.state.balances.get(id);
  }

  private hold(accountId: string, referenceId: string): Hold | undefined {
    const id = holdId(accountId, referenceId);
    return this.holds.get(id)?.current ?? this.state.holds.get(id);
  }

  /** Checks every change of one op against the working copies, then applies them all. */
  private commit(changes: readonly BalanceChange[], charges: readonly HoldCharge[]): MovementRef[] {
    const afterBalances = changes.map((change) => {
      const current =
        this.balance(change.accountId, change.asset) ??
        emptyBalance(change.accountId, change.asset, change.scale, this.at);
      if (current.scale !== change.scale) {
        throw new LedgerError(
          "inconsistent_state",
          `${change.asset} balances disagree on the asset's precision`,
        );
      }
      return balanceAfter(current, change.movements, this.at);
    });
    const afterHolds = charges.map((charge) => {
      const hold = this.hold(charge.accountId, charge.holdReferenceId);
      if (!hold)
        throw new LedgerError(
          "hold_not_found",
          `no hold ${charge.holdReferenceId} for account ${charge.accountId}`,
        );
      if (hold.remaining < charge.amount) {
        throw new LedgerError(
          "exceeds_hold",
          `the change exceeds what remains under hold ${charge.holdReferenceId}`,
        );
      }
      return { ...hold, remaining: hold.remaining - charge.amount };
    });

    const refs: MovementRef[] = [];
    changes.forEach((change, index) => {
      const id = balanceId(change.accountId, change.asset);
      let work = this.balances.get(id);
      if (!work) {
        const before =
          this.state.balances.get(id) ?? emptyBalance(change.accountId, change.asset, change.scale, this.at);
        work = { before, current: before, movements: [] };
        this.balances.set(id, work);
      }
      for (const movement of change.movements) {
        refs.push({ balance: id, index: work.movements.length });
        work.movements.push(movement);
      }
      work.current = afterBalances[index] ?? work.current;
    });
    afterHolds.forEach((current) => {
      const id = holdId(current.accountId, current.referenceId);
      const work = this.holds.get(id);
      if (work) work.current = current;
      else this.holds.set(id, { stored: this.state.holds.get(id), current });
    });
    return refs;
  }

  apply(op: LedgerOp): Applied {
    switch (op.kind) {
      case "hold":
        return this.applyHold(op);
      case "release":
        return this.applyRelease(op);
      case "trade":
        return this.applyTrade(op.trade);
    }
  }

  private applyHold(op: Extract<LedgerOp, { kind: "hold" }>): Applied {
    const { accountId, asset, scale, referenceId, amount } = op;
    checkIdentifier("account_id", accountId);
    checkAsset(asset);
    checkIdentifier("reference_id", referenceId);
    checkScale(scale);
    if (amount <= 0n) throw new LedgerError("invalid_argument", "a hold's amount must be positive");
    const existing = this.hold(accountId, referenceId);
    if (existing) {
      checkSameHold(existing, asset, amount);
      return replayed();
    }
    const balance = this.balance(accountId, asset);
    if (!balance) throw new LedgerError("no_balance", `no ${asset} balance`);
    if (balance.scale !== scale) {
      throw new LedgerError("inconsistent_state", `${asset} balance is stored at another precision`);
    }
    const movements = this.commit(
      [
        {
          accountId,
          asset,
          scale,
          movements: [{ kind: "hold", availableDelta: -amount, heldDelta: amount, reference: referenceId }],
        },
      ],
      [],
    );
    const hold: Hold = {
      accountId,
      referenceId,
      asset,
      scale,
      amount,
      remaining: amount,
      entryId: "",
      createdAt: this.at,
    };
    this.holds.set(holdId(accountId, referenceId), { current: hold, opening: movements[0] });
    return { replayed: false, movements };
  }

  private applyRelease(op: Extract<LedgerOp, { kind: "release" }>): Applied {
    const { accountId, asset, holdReferenceId, referenceId, amount } = op;
    checkIdentifier("account_id", accountId);
    checkAsset(asset);
    checkIdentifier("hold_reference_id", holdReferenceId);
    checkIdentifier("reference_id", referenceId);
    if (amount !== "all" && amount <= 0n)
      throw new LedgerError("invalid_argument", "a release's amount must be positive");
    const id = releaseId(accountId, referenceId);
    const earlier = this.releases.get(id)?.record ?? this.state.releases.get(id);
    if (earlier) {
      checkSameRelease(earlier, holdReferenceId, asset, amount);
      return replayed(earlier.released);
    }
    const hold = this.hold(accountId, holdReferenceId);
    if (!hold) throw new LedgerError("hold_not_found", `no hold ${holdReferenceId}`);
    if (hold.asset !== asset)
      throw new LedgerError("invalid_argument", `hold ${holdReferenceId} is not ${asset}`);
    const released = amount === "all" ? hold.remaining : amount;
    if (released > hold.remaining) {
      throw new LedgerError("exceeds_hold", `release exceeds what remains under hold ${holdReferenceId}`);
    }
    if (released > 0n && !this.balance(accountId, asset)) {
      throw new LedgerError("inconsistent_state", `no ${asset} balance under a hold`);
    }
    const movements =
      released === 0n
        ? []
        : this.commit(
            [
              {
                accountId,
                asset,
                scale: hold.scale,
                movements: [
                  { kind: "release", availableDelta: released, heldDelta: -released, reference: referenceId },
                ],
              },
            ],
            [{ accountId, holdReferenceId, amount: released }],
          );
    this.releases.set(id, {
      accountId,
      referenceId,
      record: { holdReferenceId, asset, requested: amount, released },
      movement: movements[0],
    });
    return { replayed: false, released, movements };
  }

  private applyTrade(trade: TradeToSettle): Applied {
    checkParties(trade);
    const { base, quote } = parseMarket(trade.market);
    const id = settlementId(trade.market, trade.tradeId);
    const earlier = this.settlements.get(id)?.trade ?? this.state.settlements.get(id);
    if (earlier) {
      checkSameTrade(earlier, trade);
      return replayed();
    }
    const buyerQuote = this.balance(trade.buyer.accountId, quote);
    const sellerBase = this.balance(trade.seller.accountId, base);
    if (!buyerQuote || !sellerBase) {
      throw new LedgerError("hold_not_found", "both sides must hold the funds they pay with");
    }
    const settled = settledTradeOf(trade, sellerBase.scale, buyerQuote.scale);
    const moves = tradeMoves(settled);
    for (const charge of moves.holds) {
      const hold = this.hold(charge.accountId, charge.holdReferenceId);
      if (!hold) {
        throw new LedgerError(
          "hold_not_found",
          `no hold ${charge.holdReferenceId} for account ${charge.accountId}`,
        );
      }
      if (hold.asset !== charge.asset) {
        throw new LedgerError(
          "invalid_argument",
          `hold ${charge.holdReferenceId} holds ${hold.asset}, not ${charge.asset}`,
        );
      }
    }
    const movements = this.commit(moves.balances, moves.holds);
    this.settlements.set(id, { trade: settled, executedAt: trade.executedAt });
    return { replayed: false, movements };
  }

  /** How many items `write` makes, without making them. */
  itemCount(): number {
    let count = this.settlements.size + this.releases.size;
    for (const work of this.balances.values()) count += 1 + work.movements.length;
    for (const work of this.holds.values()) {
      if (work.opening || (work.stored && work.current.remaining !== work.stored.remaining)) count += 1;
    }
    return count;
  }

  /** The batch's writes: each balance once (all its movements folded), each hold once, then the records. */
  write(stamp: LedgerStamp): {
    readonly items: TransactItem[];
    readonly balances: readonly Balance[];
    readonly entryOf: (ref: MovementRef) => LedgerEntry;
  } {
    const items: TransactItem[] = [];
    const balances: Balance[] = [];
    const entries = new Map<string, readonly LedgerEntry[]>();
    for (const [id, work] of this.balances) {
      const mutation = mutateBalance(work.before, work.movements, stamp);
      entries.set(id, mutation.entries);
      items.push(...mutation.items);
      balances.push(mutation.balance);
    }
    const entryOf = (ref: MovementRef): LedgerEntry => {
      const entry = entries.get(ref.balance)?.[ref.index];
      if (!entry) throw new Error(`no entry for movement ${ref.index} of ${ref.balance}`);
      return entry;
    };
    for (const work of this.holds.values()) {
      if (work.opening) {
        const hold = { ...work.current, entryId: entryOf(work.opening).id };
        items.push({ kind: "put", item: holdItem(hold), condition: cond.notExists("PK") });
      } else if (work.stored && work.current.remaining !== work.stored.remaining) {
        items.push(consumeHold(work.stored, work.stored.remaining - work.current.remaining));
      }
    }
    for (const { trade, executedAt } of this.settlements.values()) {
      items.push(settlementRecordPut(trade, executedAt, stamp));
    }
    for (const { accountId, referenceId, record, movement } of this.releases.values()) {
      const entryId = movement && entryOf(movement).id;
      items.push(releaseRecordPut({ accountId }, referenceId, { ...record, entryId }, stamp));
    }
    return { items, balances, entryOf };
  }
}

function applyOrRefuse(work: BatchWork, op: LedgerOp): Applied | LedgerError {
  try {
    return work.apply(op);
  } catch (error) {
    if (error instanceof LedgerError) return error;
    throw error;
  }
}

/**
 * Plans a batch of ledger ops as the items of one transaction (docs/order-flow.md, "Group commit"). Ops
 * apply in order, each seeing the ones before it. Every balance is written once, with all its movements
 * folded into one versioned write; every hold once. An op identical to one already applied (stored, or
 * earlier in the batch) is a replay and writes nothing; a different one under the same id is an
 * `idempotency_conflict` outcome. A refused op (insufficient funds, exceeds its hold, ...) is left out and
 * reported; the others still apply. Pure: `state` is not changed, so a caller may plan several prefixes of
 * its ops on one read.
 */
export function planLedgerBatch(
  ops: readonly LedgerOp[],
  state: LedgerBatchState,
  stamp: LedgerStamp,
): LedgerBatchPlan {
  const work = new BatchWork(state, stamp.at);
  const applied = ops.map((op) => applyOrRefuse(work, op));
  const { items, balances, entryOf } = work.write(stamp);
  const outcomes = applied.map(
    (result): LedgerOpOutcome =>
      result instanceof LedgerError
        ? { ok: false, error: result }
        : {
            ok: true,
            replayed: result.replayed,
            ...(result.released === undefined ? {} : { released: result.released }),
            entries: result.movements.map(entryOf),
          },
  );
  return { items, outcomes, balances };
}

/**
 * A batch grown one op at a time, for a caller that cuts its ops into transactions at an item limit: after
 * each op, `itemCount` is the number of items `planLedgerBatch` of the ops added so far (with the same
 * state) would make, found without making them, so finding the longest prefix that fits costs one pass
 * instead of a plan per prefix.
 */
export class LedgerBatchDraft {
  private readonly work: BatchWork;

  constructor(state: LedgerBatchState, at: Date) {
    this.work = new BatchWork(state, at);
  }

  /** Applies `op` after the ones added before it; a refused op changes nothing and is returned as its error. */
  add(op: LedgerOp): LedgerError | undefined {
    const result = applyOrRefuse(this.work, op);
    return result instanceof LedgerError ? result : undefined;
  }

  get itemCount(): number {
    return this.work.itemCount();
  }
}
