import { unavailable } from "@bourse/common";
import {
  cond,
  isWriteConflict,
  MAX_TRANSACT_ITEMS,
  type Store,
  type TransactItem,
  TransactionCanceledError,
} from "@bourse/common/storage";
import {
  type Balance,
  type LedgerOp,
  type LedgerOpOutcome,
  planLedgerBatch,
  readLedgerBatchState,
  type StampFactory,
} from "@bourse/ledger";
import {
  clientOrderKey,
  marketUnchangedCheck,
  type OrderRecord,
  orderToItem,
  type RevisedTradingMarket,
} from "@bourse/trading";
import {
  balancesOf,
  closingKindOf,
  indexBalances,
  orderEventToAppend,
  type UserEventPublisher,
} from "@bourse/trading/user-events";
import { Code, ConnectError } from "@connectrpc/connect";

/** A new order to write: its hold (none for an order that ended at once) and its client order id binding. */
export interface Placement {
  readonly order: OrderRecord;
  /** Its reference id is the order's id, new with the order. */
  readonly hold?: Extract<LedgerOp, { kind: "hold" }>;
  /** When the client order id was bound to a finished order, the binding moves from that order to this one. */
  readonly previousOrderId?: string;
  /** The market's rules the order was checked against: the transaction holds only while they still do. */
  readonly rules: RevisedTradingMarket;
}

/** The market was halted or its rules changed since they were read: read them again. */
export class MarketChangedError extends ConnectError {
  constructor(symbol: string) {
    super(`market ${symbol} changed while the order was placed; retry`, Code.Unavailable);
  }
}

/** The client order id was bound to another order meanwhile: look it up again. */
export class BindingTakenError extends ConnectError {
  constructor() {
    super("client_order_id was just bound to another order", Code.AlreadyExists);
  }
}

interface Waiting {
  readonly placement: Placement;
  resolve(): void;
  reject(error: unknown): void;
}

export interface PlacementCommitterOptions {
  readonly stamps: StampFactory;
  /** Most items in one transaction. */
  readonly maxItems?: number;
  /** Rounds of re-reading after a balance changed under a flush, before the flush gives up. */
  readonly maxAttempts?: number;
  /**
   * Where each committed order's ACCEPTED update goes (StreamMyOrders), with its hold's balance. A place
   * resolves once its update is in the log, so that it precedes whatever matching reports of the order.
   */
  readonly events?: UserEventPublisher;
}

/** Items of a placement beyond its ledger items: the order, and the binding when there is one. */
const ownItems = (placement: Placement) => (placement.order.clientOrderId === "" ? 1 : 2);

/**
 * Group commit of new orders (docs/order-flow.md, PlaceOrder step 3): the places waiting while a flush
 * runs go together in the next transaction, each with its hold (`planLedgerBatch` folds the holds on one
 * balance into one balance write), its order and its client order binding, and one check per market that
 * the market is still as the orders were checked against. A hold the ledger refuses (insufficient funds)
 * fails its own place only, as does a binding taken meanwhile; a market changed meanwhile fails its own
 * market's places only: the others still commit. A transaction that lost a race on a balance is planned
 * again from fresh reads.
 */
export class PlacementCommitter {
  private readonly queue: Waiting[] = [];
  private flushing = false;
  private readonly maxItems: number;
  private readonly maxAttempts: number;

  constructor(
    private readonly store: Store,
    private readonly options: PlacementCommitterOptions,
  ) {
    this.maxItems = Math.min(options.maxItems ?? MAX_TRANSACT_ITEMS, MAX_TRANSACT_ITEMS);
    this.maxAttempts = options.maxAttempts ?? 8;
  }

  /** Resolves once the order is committed; rejects with the ledger's refusal or `BindingTakenError`. */
  place(placement: Placement): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ placement, resolve, reject });
      if (!this.flushing) void this.flushAll();
    });
  }

  private async flushAll(): Promise<void> {
    this.flushing = true;
    try {
      while (this.queue.length > 0) await this.flush(this.nextBatch());
    } finally {
      this.flushing = false;
    }
  }

  /**
   * The oldest waiting places whose items surely fit: a hold writes at most a balance, an entry and the
   * hold item, and each market adds its check. Two places binding the same client order id, or checked
   * against different revisions of one market, never share a transaction.
   */
  private nextBatch(): Waiting[] {
    const batch: Waiting[] = [];
    const bindings = new Set<string>();
    const revisions = new Map<string, number>();
    let items = 0;
    for (let index = 0; index < this.queue.length; ) {
      const waiting = this.queue[index] as Waiting;
      const { market, revision } = waiting.placement.rules;
      const checked = revisions.get(market.symbol);
      const cost =
        (waiting.placement.hold ? 3 : 0) + ownItems(waiting.placement) + (checked === undefined ? 1 : 0);
      if (items + cost > this.maxItems) break;
      const { accountId, clientOrderId } = waiting.placement.order;
      const binding = `${accountId}\u0000${clientOrderId}`;
      if ((clientOrderId !== "" && bindings.has(binding)) || (checked ?? revision) !== revision) {
        index++;
        continue;
      }
      bindings.add(binding);
      revisions.set(market.symbol, revision);
      items += cost;
      batch.push(waiting);
      this.queue.splice(index, 1);
    }
    return batch;
  }

  private async flush(batch: Waiting[]): Promise<void> {
    let pending = batch;
    for (let attempt = 1; pending.length > 0; attempt++) {
      try {
        pending = await this.commit(pending, attempt);
      } catch (error) {
        if (!isWriteConflict(error) || attempt >= this.maxAttempts) {
          const failure = isWriteConflict(error)
            ? unavailable("too many concurrent changes to the balance; retry the order")
            : error;
          for (const waiting of pending) waiting.reject(failure);
          return;
        }
      }
    }
  }

  /**
   * One attempt: plans the holds on fresh reads, settles the refused places, and writes the rest. Returns
   * the places to try again (those whose transaction lost a race), none when it committed.
   */
  private async commit(batch: Waiting[], attempt: number): Promise<Waiting[]> {
    const holders = batch.filter((waiting) => waiting.placement.hold);
    const ops = holders.map((waiting) => waiting.placement.hold as LedgerOp);
    // A first attempt does not read the holds: each is named by its order's id, drawn for this place, so
    // none can exist yet. The hold is put only if absent, so were one there after all, the transaction
    // would be canceled and the next attempt reads it.
    const state = await readLedgerBatchState(this.store, ops, { isNew: () => attempt === 1 });
    const plan = planLedgerBatch(ops, state, this.options.stamps());
    const refused = new Set<Waiting>();
    plan.outcomes.forEach((outcome: LedgerOpOutcome, index) => {
      const waiting = holders[index];
      if (waiting && !outcome.ok) {
        refused.add(waiting);
        waiting.reject(outcome.error);
      }
    });
    const accepted = batch.filter((waiting) => !refused.has(waiting));
    if (accepted.length === 0) return [];
    const own = accepted.flatMap(({ placement }) => placementItems(placement));
    const markets = [
      ...new Map(accepted.map(({ placement: { rules } }) => [rules.market.symbol, rules])).values(),
    ];
    try {
      await this.store.transactWrite([...plan.items, ...own, ...markets.map(marketUnchangedCheck)]);
    } catch (error) {
      const taken = bindingFailures(error, plan.items.length, accepted);
      const changed = changedMarkets(error, plan.items.length + own.length, markets);
      if (taken.size === 0 && changed.size === 0) throw error;
      const failed = new Set<Waiting>();
      for (const waiting of accepted) {
        const { symbol } = waiting.placement.rules.market;
        if (changed.has(symbol)) {
          waiting.reject(new MarketChangedError(symbol));
          failed.add(waiting);
        } else if (taken.has(waiting)) {
          waiting.reject(new BindingTakenError());
          failed.add(waiting);
        }
      }
      return accepted.filter((waiting) => !failed.has(waiting));
    }
    // The next flush need not wait for the log: the publisher keeps the updates in commit order.
    void this.published(accepted, plan.balances).then(() => {
      for (const waiting of accepted) waiting.resolve();
    });
    return [];
  }

  private published(accepted: readonly Waiting[], written: readonly Balance[]): Promise<void> {
    const events = this.options.events;
    if (events === undefined) return Promise.resolve();
    const balances = indexBalances(written);
    return events.publish(
      accepted.map(({ placement: { order } }) =>
        orderEventToAppend({
          kind: closingKindOf(order),
          order,
          balances: balancesOf(balances, order.accountId, [order.holdAsset]),
          at: order.createdAt,
        }),
      ),
    );
  }
}

function placementItems(placement: Placement): TransactItem[] {
  const { order, previousOrderId } = placement;
  const items: TransactItem[] = [{ kind: "put", item: orderToItem(order), condition: cond.notExists("PK") }];
  if (order.clientOrderId !== "") {
    items.push({
      kind: "put",
      item: { ...clientOrderKey(order.accountId, order.clientOrderId), orderId: order.orderId },
      condition: previousOrderId === undefined ? cond.notExists("PK") : cond.eq("orderId", previousOrderId),
    });
  }
  return items;
}

/** The markets whose check failed in a canceled transaction (checks from item `first` on). */
function changedMarkets(error: unknown, first: number, markets: RevisedTradingMarket[]): Set<string> {
  const changed = new Set<string>();
  if (!(error instanceof TransactionCanceledError)) return changed;
  markets.forEach(({ market }, index) => {
    if (error.reasons[first + index] === "ConditionalCheckFailed") changed.add(market.symbol);
  });
  return changed;
}

/** The places whose own items (order or binding) failed their condition in a canceled transaction. */
function bindingFailures(error: unknown, ledgerItems: number, accepted: Waiting[]): Set<Waiting> {
  const taken = new Set<Waiting>();
  if (!(error instanceof TransactionCanceledError)) return taken;
  let index = ledgerItems;
  for (const waiting of accepted) {
    const count = ownItems(waiting.placement);
    const reasons = error.reasons.slice(index, index + count);
    if (reasons.includes("ConditionalCheckFailed")) taken.add(waiting);
    index += count;
  }
  return taken;
}
