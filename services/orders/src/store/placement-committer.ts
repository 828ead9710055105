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
  type LedgerOp,
  type LedgerOpOutcome,
  planLedgerBatch,
  readLedgerBatchState,
  type StampFactory,
} from "@bourse/ledger";
import { clientOrderKey, type OrderRecord, orderToItem } from "@bourse/trading";
import { Code, ConnectError } from "@connectrpc/connect";

/** A new order to write: its hold (none for an order that ended at once) and its client order id binding. */
export interface Placement {
  readonly order: OrderRecord;
  readonly hold?: Extract<LedgerOp, { kind: "hold" }>;
  /** When the client order id was bound to a finished order, the binding moves from that order to this one. */
  readonly previousOrderId?: string;
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
}

/** Items of a placement beyond its ledger items: the order, and the binding when there is one. */
const ownItems = (placement: Placement) => (placement.order.clientOrderId === "" ? 1 : 2);

/**
 * Group commit of new orders (docs/order-flow.md, PlaceOrder step 3): the places waiting while a flush
 * runs go together in the next transaction, each with its hold (`planLedgerBatch` folds the holds on one
 * balance into one balance write), its order and its client order binding. A hold the ledger refuses
 * (insufficient funds) fails its own place only; the others still commit. A transaction that lost a race
 * on a balance is planned again from fresh reads.
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
   * hold item. Two places binding the same client order id never share a transaction.
   */
  private nextBatch(): Waiting[] {
    const batch: Waiting[] = [];
    const bindings = new Set<string>();
    let items = 0;
    for (let index = 0; index < this.queue.length; ) {
      const waiting = this.queue[index] as Waiting;
      const cost = (waiting.placement.hold ? 3 : 0) + ownItems(waiting.placement);
      if (items + cost > this.maxItems) break;
      const { accountId, clientOrderId } = waiting.placement.order;
      const binding = `${accountId}\u0000${clientOrderId}`;
      if (clientOrderId !== "" && bindings.has(binding)) {
        index++;
        continue;
      }
      bindings.add(binding);
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
        pending = await this.commit(pending);
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
  private async commit(batch: Waiting[]): Promise<Waiting[]> {
    const holders = batch.filter((waiting) => waiting.placement.hold);
    const ops = holders.map((waiting) => waiting.placement.hold as LedgerOp);
    const plan = planLedgerBatch(ops, await readLedgerBatchState(this.store, ops), this.options.stamps());
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
    try {
      await this.store.transactWrite([...plan.items, ...own]);
    } catch (error) {
      const taken = bindingFailures(error, plan.items.length, accepted);
      if (taken.size === 0) throw error;
      for (const waiting of taken) waiting.reject(new BindingTakenError());
      return accepted.filter((waiting) => !taken.has(waiting));
    }
    for (const waiting of accepted) waiting.resolve();
    return [];
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
