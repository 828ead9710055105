import type { OrderRecord } from "@bourse/trading";

type Handed = Pick<OrderRecord, "orderId" | "createdAt">;

/** How long after its creation a handed-over order is trusted; the orders service hands it over at once. */
const TRUST_MS = 10_000;

/**
 * Decides when an order handed over in-process (the record the orders service has just stored) may stand
 * in for reading it back. The record is still the stored state unless a command processed the order since
 * it was written, which only two can have done:
 * - a previous owner of the market: ruled out for orders created after this runner started, since the
 *   claim that fenced the previous owner out came before;
 * - this runner (the pending sweep, recovery, a cancel that came first, a repeated submit): ruled out by
 *   remembering the orders it submitted to the book, for as long as a record of theirs would be trusted.
 * Any other handed-over order is read from the store, as an order named over the network always is.
 */
export class HandedOverOrders {
  /** Orders this runner submitted to the book that are young enough to be trusted: id → creation ms. */
  private readonly submitted = new Map<string, number>();
  /** Orders created before this are not trusted; it only moves forward, even if the clock steps back. */
  private trustFrom: number;

  constructor(private readonly startedAt: Date) {
    this.trustFrom = startedAt.getTime();
  }

  /** Whether the handed-over `order` may be used as it is. */
  trusts(order: Handed, now: Date): boolean {
    this.forget(now);
    const created = order.createdAt.getTime();
    return (
      created > this.startedAt.getTime() && created >= this.trustFrom && !this.submitted.has(order.orderId)
    );
  }

  /** This runner is submitting `order` to the book: a record of it handed over later is stale. */
  submitting(order: Handed): void {
    const created = order.createdAt.getTime();
    if (created >= this.trustFrom) this.submitted.set(order.orderId, created);
  }

  private forget(now: Date): void {
    this.trustFrom = Math.max(this.trustFrom, now.getTime() - TRUST_MS);
    // Roughly in creation order: stop at the first young one; an older one left behind is only memory.
    for (const [orderId, created] of this.submitted) {
      if (created >= this.trustFrom) break;
      this.submitted.delete(orderId);
    }
  }
}
