import type { Order } from "./order.js";
import type { TreeNode } from "./red-black-tree.js";

/**
 * All resting orders at one price on one side: an intrusive FIFO of orders (time priority), its running
 * total, and the node fields that place it both in its side's red-black tree and in the side's
 * best-to-worst list of levels. Levels are recycled by their side, so one object wears many prices.
 */
export class PriceLevel implements TreeNode<PriceLevel> {
  /** The tree key: the price, negated on the bid side, so that a smaller key is always a better price. */
  key = 0;
  price = 0;
  /** Sum of `remaining` over the queue. Kept within Number.MAX_SAFE_INTEGER by the engine. */
  total = 0;
  count = 0;
  head: Order | null = null;
  tail: Order | null = null;

  left: PriceLevel | null = null;
  right: PriceLevel | null = null;
  parent: PriceLevel | null = null;
  red = false;

  better: PriceLevel | null = null;
  worse: PriceLevel | null = null;

  reset(price: number, key: number): void {
    this.price = price;
    this.key = key;
    this.total = 0;
    this.count = 0;
    this.head = null;
    this.tail = null;
    this.better = null;
    this.worse = null;
  }

  /** Queues an order last in time priority. */
  append(order: Order): void {
    order.level = this;
    order.prev = this.tail;
    order.next = null;
    if (this.tail === null) this.head = order;
    else this.tail.next = order;
    this.tail = order;
    this.total += order.remaining;
    this.count++;
  }

  remove(order: Order): void {
    if (order.prev === null) this.head = order.next;
    else order.prev.next = order.next;
    if (order.next === null) this.tail = order.prev;
    else order.next.prev = order.prev;
    order.prev = null;
    order.next = null;
    order.level = null;
    this.total -= order.remaining;
    this.count--;
  }
}
