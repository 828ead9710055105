import type { BookSide } from "./book-side.js";
import type { Order } from "./order.js";

/**
 * All resting orders at one price on one side: an intrusive FIFO of orders (time priority), its running
 * total, and its place in the side's best-to-worst list of levels. Levels are recycled by their side, so
 * one object wears many prices.
 * Every change of open quantity goes through here, which keeps the side's volume in step.
 */
export class PriceLevel {
  /** The price, negated on the bid side, so that on both sides a smaller key is a better price. */
  key = 0;
  price = 0;
  /** Sum of `remaining` over the queue; at most the side's volume, so exact. */
  total = 0;
  count = 0;
  head: Order | null = null;
  tail: Order | null = null;

  better: PriceLevel | null = null;
  worse: PriceLevel | null = null;

  constructor(private readonly book: BookSide) {}

  /**
   * Gives a new or spare level its price. Either way it arrives unlinked, since a level leaves the book only
   * through {@link BookSide.drop}, which clears its links; the side links it in next.
   */
  reset(price: number, key: number): void {
    this.price = price;
    this.key = key;
    this.total = 0;
    this.count = 0;
  }

  /**
   * Forgets the level's queue and its neighbours. A dropped level must hold no links: the side keeps
   * spare levels, and a spare still pointing at its old neighbour would keep that level alive, and through
   * it the next one, down the whole chain of levels a large book ever had.
   */
  clearLinks(): void {
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
    this.book.volume += order.remaining;
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
    this.book.volume -= order.remaining;
    this.count--;
  }

  /** Fills `quantity` of a queued order. */
  fill(order: Order, quantity: number): void {
    order.remaining -= quantity;
    order.filled += quantity;
    this.total -= quantity;
    this.book.volume -= quantity;
  }

  /** Lowers a queued order's open quantity in place, keeping its priority. */
  reduce(order: Order, remaining: number): void {
    const reduction = order.remaining - remaining;
    order.remaining = remaining;
    order.quantity -= reduction;
    this.total -= reduction;
    this.book.volume -= reduction;
  }
}
