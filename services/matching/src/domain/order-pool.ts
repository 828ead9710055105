import type { Side, StpMode } from "./commands.js";
import { Order } from "./order.js";

/**
 * Enough for the churn of a busy book, without pinning a huge book's worth of orders after it shrinks: at
 * about 100 bytes an order, a full pool keeps about 400 KB.
 */
const SPARE_ORDERS = 4096;

/**
 * Recycles order objects. Besides saving the allocation, a recycled order has long lived in the old
 * generation, so linking it into (old) levels costs no generational write barrier and it adds no work to
 * the next young-generation collection: the engine reaches a steady state that allocates nothing.
 * An order is released only once the engine holds no reference to it and its last event is written.
 */
export class OrderPool {
  private readonly spare: Order[] = [];

  acquire(
    id: number,
    accountId: number,
    side: Side,
    price: number,
    quantity: number,
    stp: StpMode,
    postOnly: boolean,
  ): Order {
    const order = this.spare.pop();
    if (order === undefined)
      return new Order(id, accountId, side, price, quantity, quantity, 0, stp, postOnly);
    order.id = id;
    order.accountId = accountId;
    order.side = side;
    order.price = price;
    order.quantity = quantity;
    order.remaining = quantity;
    order.filled = 0;
    order.stp = stp;
    order.postOnly = postOnly;
    return order;
  }

  /** Takes back a done order, clearing its queue links so that a spare order keeps no other order or level alive. */
  release(order: Order): void {
    order.prev = null;
    order.next = null;
    order.level = null;
    if (this.spare.length < SPARE_ORDERS) this.spare.push(order);
  }

  /** Problems in the pool, for audits: a spare order must hold no link to another order or a level. */
  validateSpares(): string[] {
    const problems: string[] = [];
    for (const order of this.spare) {
      if (order.prev !== null || order.next !== null || order.level !== null) {
        problems.push(`spare order (last ${order.id}) keeps its queue links`);
      }
    }
    return problems;
  }
}
