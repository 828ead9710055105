import type { EngineEvent } from "../events.js";
import type { OrderView } from "../snapshot.js";

interface Account {
  byQuote: boolean;
  open: number;
  filled: number;
  quoteLeft: bigint;
}

/**
 * Follows orders through the event stream alone and checks the bookkeeping the events promise: sequence
 * numbers are gapless; an order's placed quantity is always filled + open, so a cancel or an expiry
 * removes exactly the open quantity; a quote-sized buy never spends more than its budget and reports the
 * exact remainder; and what the book says rests is what the events left open.
 */
export class EventLedger {
  private lastSeq: number;
  private readonly orders = new Map<number, Account>();

  constructor(startSeq = 0) {
    this.lastSeq = startSeq;
  }

  /** Applies events; returns the problems found. */
  apply(events: readonly EngineEvent[]): string[] {
    const problems: string[] = [];
    for (const event of events) {
      if (event.seq !== this.lastSeq + 1) problems.push(`seq ${event.seq} follows ${this.lastSeq}`);
      this.lastSeq = event.seq;
      this.applyOne(event, problems);
    }
    return problems;
  }

  /** Compares the resting orders with what the events left open; returns the problems found. */
  check(resting: readonly OrderView[]): string[] {
    const problems: string[] = [];
    for (const order of resting) {
      const account = this.orders.get(order.orderId);
      if (account === undefined) problems.push(`order ${order.orderId} rests but the events closed it`);
      else if (account.open !== order.remaining || account.filled !== order.filled) {
        problems.push(`order ${order.orderId}: events say ${account.open} open/${account.filled} filled`);
      } else if (order.filled + order.remaining !== order.quantity) {
        problems.push(`order ${order.orderId}: filled + remaining != quantity`);
      }
    }
    const open = [...this.orders.entries()].filter(([, a]) => a.open > 0);
    if (open.length !== resting.length)
      problems.push(`${open.length} orders open by events, ${resting.length} resting`);
    return problems;
  }

  private applyOne(event: EngineEvent, problems: string[]): void {
    switch (event.type) {
      case "accepted":
        this.orders.set(event.orderId, {
          byQuote: event.quoteAmount !== 0n,
          open: event.quantity,
          filled: 0,
          quoteLeft: event.quoteAmount,
        });
        break;
      case "trade": {
        const maker = this.orders.get(event.makerOrderId);
        const taker = this.orders.get(event.takerOrderId);
        if (maker === undefined || taker === undefined) {
          problems.push(`trade ${event.seq} names an unknown order`);
          return;
        }
        maker.open -= event.quantity;
        maker.filled += event.quantity;
        if (maker.open !== event.makerRemaining) problems.push(`trade ${event.seq}: maker remaining is off`);
        taker.filled += event.quantity;
        if (taker.byQuote) taker.quoteLeft -= BigInt(event.price) * BigInt(event.quantity);
        else taker.open -= event.quantity;
        if (taker.open < 0 || taker.quoteLeft < 0n) problems.push(`trade ${event.seq} overfills the taker`);
        if (maker.open === 0) this.orders.delete(event.makerOrderId);
        break;
      }
      case "canceled":
      case "expired":
        this.close(event, problems);
        break;
      case "amended": {
        const order = this.orders.get(event.orderId);
        if (order === undefined) problems.push(`amend ${event.seq} of an unknown order`);
        else order.open = event.quantity;
        break;
      }
      default:
        break;
    }
  }

  private close(event: Extract<EngineEvent, { type: "canceled" | "expired" }>, problems: string[]): void {
    const order = this.orders.get(event.orderId);
    if (order === undefined) {
      problems.push(`${event.type} ${event.seq} of an unknown order`);
      return;
    }
    if (event.quantity !== order.open)
      problems.push(`${event.type} ${event.seq}: ${event.quantity} != ${order.open}`);
    const quoteLeft = event.type === "expired" ? event.quoteAmount : 0n;
    if (quoteLeft !== order.quoteLeft) problems.push(`${event.type} ${event.seq}: unspent quote is off`);
    this.orders.delete(event.orderId);
  }
}
