import type { BookSide } from "./book-side.js";
import type { EventWriter } from "./event-writer.js";
import type { Order } from "./order.js";
import type { OrderPool } from "./order-pool.js";
import type { PriceLevel } from "./price-level.js";

/** How a sweep of one level ended. */
type Sweep = typeof CONTINUE | typeof DONE | typeof STOPPED;
/** The level is exhausted and the taker wants more. */
const CONTINUE = 0;
/** The taker has nothing left to trade (or cannot afford one more lot). */
const DONE = 1;
/** Self-trade prevention stopped the taker. */
const STOPPED = 2;

/**
 * Trades a taker against the opposite side in price-time order. Fills are at the maker's price and the
 * sweep never skips a better level, so nothing trades through. The only allocations are the events.
 *
 * Self-trade prevention follows the taker's mode when it meets a maker of its own account:
 * EXPIRE_MAKER expires that maker and carries on, EXPIRE_TAKER stops the taker, EXPIRE_BOTH does both.
 */
export class Matcher {
  /** Unspent budget of a taker sized by quote; set before `match` and read after it. */
  budget = 0n;

  constructor(
    private readonly out: EventWriter,
    private readonly orders: Map<number, Order>,
    private readonly pool: OrderPool,
  ) {}

  /**
   * Sweeps `book` from its best level while the level's key is within `limitKey` (Infinity for a market
   * order) and the taker has quantity, or with `byQuote` budget, left. Emits each trade, each expired
   * maker, and the new total of each level it changed. Returns true when self-trade prevention stopped
   * the taker, whose remainder the caller then expires.
   */
  match(taker: Order, book: BookSide, limitKey: number, byQuote: boolean): boolean {
    let level = book.best;
    while (level !== null && level.key <= limitKey) {
      const before = level.total;
      const sweep = this.sweepLevel(taker, level, byQuote);
      const next = level.worse;
      if (level.total !== before) this.out.level(book.side, level.price, level.total, level.count);
      if (level.count === 0) book.drop(level);
      if (sweep !== CONTINUE) return sweep === STOPPED;
      level = next;
    }
    return false;
  }

  /**
   * Whether a FOK taker would fill completely: the same walk as `match`, without side effects. A maker
   * that EXPIRE_MAKER would expire contributes nothing; one that would stop the taker ends the walk.
   */
  canFill(taker: Order, book: BookSide, limitKey: number): boolean {
    let needed = taker.remaining;
    for (let level = book.best; level !== null && level.key <= limitKey; level = level.worse) {
      for (let maker = level.head; maker !== null; maker = maker.next) {
        if (maker.accountId === taker.accountId) {
          if (taker.stp === "EXPIRE_MAKER") continue;
          return false;
        }
        needed -= maker.remaining;
        if (needed <= 0) return true;
      }
    }
    return false;
  }

  private sweepLevel(taker: Order, level: PriceLevel, byQuote: boolean): Sweep {
    // Prices only get worse from here, so a budget that cannot buy one lot here is spent.
    if (byQuote && this.budget < level.price) return DONE;
    let maker = level.head;
    while (maker !== null) {
      const next = maker.next;
      if (maker.accountId === taker.accountId) {
        if (taker.stp !== "EXPIRE_TAKER") this.expireMaker(level, maker);
        if (taker.stp !== "EXPIRE_MAKER") return STOPPED;
      } else {
        this.fill(taker, level, maker, byQuote);
        if (byQuote ? this.budget < level.price : taker.remaining === 0) return DONE;
      }
      maker = next;
    }
    return CONTINUE;
  }

  private fill(taker: Order, level: PriceLevel, maker: Order, byQuote: boolean): void {
    const price = level.price;
    let quantity: number;
    if (byQuote) {
      const affordable = this.budget / BigInt(price);
      quantity = affordable < maker.remaining ? Number(affordable) : maker.remaining;
      this.budget -= BigInt(price) * BigInt(quantity);
    } else {
      quantity = Math.min(taker.remaining, maker.remaining);
      taker.remaining -= quantity;
    }
    taker.filled += quantity;
    level.fill(maker, quantity);
    this.out.trade(
      maker.id,
      maker.accountId,
      taker.id,
      taker.accountId,
      taker.side,
      price,
      quantity,
      maker.remaining,
    );
    if (maker.remaining === 0) {
      level.remove(maker);
      this.orders.delete(maker.id);
      this.pool.release(maker);
    }
  }

  private expireMaker(level: PriceLevel, maker: Order): void {
    level.remove(maker);
    this.orders.delete(maker.id);
    this.out.expired(maker.id, maker.accountId, maker.remaining, 0n, "SELF_TRADE");
    this.pool.release(maker);
  }
}
