import { cond, type Item, type TransactItem } from "@bourse/common/storage";
import type { LedgerOp } from "@bourse/ledger";
import { accountTradeToItem, marketBookKey, type OrderRecord, orderToItem } from "@bourse/trading";
import type { CommandOutcome, FillStep, HoldRelease } from "../domain/outcome.js";

/**
 * The smallest pieces a batch of outcomes is written in: each fill step of a command, then its closing.
 * A transaction holds a run of consecutive units, so a cut always falls on a fill step boundary.
 */
export type SettlementUnit =
  | { readonly kind: "step"; readonly command: number; readonly step: FillStep }
  | { readonly kind: "closing"; readonly command: number };

export function unitsOf(outcomes: readonly CommandOutcome[]): SettlementUnit[] {
  return outcomes.flatMap((outcome, command) => [
    ...outcome.steps.map((step) => ({ kind: "step" as const, command, step })),
    { kind: "closing" as const, command },
  ]);
}

const releaseOp = (release: HoldRelease): LedgerOp => ({ kind: "release", ...release });

/** The ledger's part of a run of units: each fill's trade and releases, then each closing's releases. */
export function ledgerOpsOf(
  outcomes: readonly CommandOutcome[],
  units: readonly SettlementUnit[],
): LedgerOp[] {
  return units.flatMap((unit): LedgerOp[] =>
    unit.kind === "step"
      ? [{ kind: "trade", trade: unit.step.trade }, ...unit.step.releases.map(releaseOp)]
      : (outcomes[unit.command] as CommandOutcome).closing.releases.map(releaseOp),
  );
}

/**
 * The last state of every order the units touch. A taker's progress after a fill is written as pending
 * (no `bookSeq`): if the run ends before the command's closing, recovery resumes the taker from there;
 * otherwise its closing state, later in the run, replaces it.
 */
function latestOrders(outcomes: readonly CommandOutcome[], units: readonly SettlementUnit[]): OrderRecord[] {
  const latest = new Map<string, OrderRecord>();
  for (const unit of units) {
    if (unit.kind === "step") {
      latest.set(unit.step.makerAfter.orderId, unit.step.makerAfter);
      latest.set(unit.step.takerAfter.orderId, { ...unit.step.takerAfter, bookSeq: undefined });
    } else {
      for (const order of (outcomes[unit.command] as CommandOutcome).closing.orders) {
        latest.set(order.orderId, order);
      }
    }
  }
  return [...latest.values()];
}

/** Counts, unit by unit, the items `matchingItemsOf` makes for the units added so far. */
export class MatchingItemCount {
  private readonly orders = new Set<string>();
  private trades = 0;

  add(outcomes: readonly CommandOutcome[], unit: SettlementUnit): void {
    if (unit.kind === "step") {
      this.orders.add(unit.step.makerAfter.orderId);
      this.orders.add(unit.step.takerAfter.orderId);
      this.trades += unit.step.accountTrades.length;
    } else {
      for (const order of (outcomes[unit.command] as CommandOutcome).closing.orders) {
        this.orders.add(order.orderId);
      }
    }
  }

  /** The orders, the trade records and the BOOK item. */
  get count(): number {
    return this.orders.size + this.trades + 1;
  }
}

/**
 * Matching's own items for a run of units, written after the ledger's: the orders (each must already
 * exist: the orders service creates them), both sides' trade records and the market's BOOK sequence.
 * The sequence is that of the last command the run reaches, even when it is cut inside that command,
 * so the trade ids it used are never issued again after a recovery.
 */
export function matchingItemsOf(
  market: string,
  outcomes: readonly CommandOutcome[],
  units: readonly SettlementUnit[],
): TransactItem[] {
  const last = units.at(-1);
  if (last === undefined) throw new RangeError("a settlement needs at least one unit");
  const orders = latestOrders(outcomes, units).map(
    (order): TransactItem => ({ kind: "put", item: orderToItem(order), condition: cond.exists("PK") }),
  );
  const trades = units.flatMap((unit): TransactItem[] =>
    unit.kind === "step"
      ? unit.step.accountTrades.map((trade) => ({ kind: "put", item: accountTradeToItem(trade) }))
      : [],
  );
  const book: Item = { ...marketBookKey(market), seq: (outcomes[last.command] as CommandOutcome).seq };
  return [...orders, ...trades, { kind: "put", item: book }];
}
