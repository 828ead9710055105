import { BookSide, type DepthLevel } from "./book-side.js";
import {
  type AmendCommand,
  type CancelCommand,
  type Command,
  DEFAULT_STP_MODE,
  type PlaceCommand,
} from "./commands.js";
import { EventWriter } from "./event-writer.js";
import type { CommandResult, CommandType, EventSink, RejectReason } from "./events.js";
import { Matcher } from "./matcher.js";
import type { Order } from "./order.js";
import { OrderPool } from "./order-pool.js";
import { checkPlace } from "./place-validation.js";
import type { PriceLevel } from "./price-level.js";
import { checkRules, type EngineRules, isPositiveSafeInteger } from "./rules.js";
import {
  type EngineSnapshot,
  type OrderView,
  orderFrom,
  readSnapshot,
  type SnapshotOrder,
  viewOf,
} from "./snapshot.js";
import { verifyBook } from "./verify.js";

export interface Depth {
  readonly bids: DepthLevel[];
  readonly asks: DepthLevel[];
}

/**
 * The matching engine of one market: commands in, events out, no I/O and no clock, so the same commands
 * from the same state always produce the same events. Every event carries the next sequence number.
 *
 * Events of one command come in this order:
 * - place: `rejected`; or `accepted`, then while sweeping the opposite side each `trade` and
 *   self-trade `expired` maker in priority order, with a `level` after each level it changed; then the
 *   taker's `expired` (IOC, FOK, SELF_TRADE) or, if it rests, the `level` of its own side.
 * - cancel: `rejected`; or `canceled`, then `level`.
 * - amend: `rejected`; or `amended`, then the `level` it left (when its total changed), then for a price
 *   move the sweep and remainder exactly as for a GTC place.
 */
export class Engine {
  private readonly rules: EngineRules;
  private readonly out: EventWriter;
  private readonly orders = new Map<number, Order>();
  private readonly bids = new BookSide("buy");
  private readonly asks = new BookSide("sell");
  private readonly pool = new OrderPool();
  private readonly matcher: Matcher;

  constructor(rules: EngineRules, sink: EventSink) {
    checkRules(rules);
    this.rules = { minQuantity: rules.minQuantity, minNotional: rules.minNotional };
    this.out = new EventWriter(sink, 0);
    this.matcher = new Matcher(this.out, this.orders, this.pool);
  }

  /** Rebuilds an engine from {@link snapshot}; it continues the same sequence numbers. */
  static restore(snapshot: EngineSnapshot, sink: EventSink): Engine {
    const { rules, seq, orders } = readSnapshot(snapshot);
    const engine = new Engine(rules, sink);
    engine.out.seq = seq;
    for (const saved of orders) engine.restoreOrder(saved);
    const problems = engine.verify();
    if (problems.length > 0) throw new Error(`inconsistent snapshot: ${problems.join("; ")}`);
    return engine;
  }

  /** Sequence number of the last event emitted. */
  get seq(): number {
    return this.out.seq;
  }

  get orderCount(): number {
    return this.orders.size;
  }

  execute(cmd: Command): CommandResult {
    switch (cmd.type) {
      case "place":
        return this.place(cmd);
      case "cancel":
        return this.cancel(cmd);
      case "amend":
        return this.amend(cmd);
      default:
        throw new TypeError(`unknown command type ${String((cmd as { type: unknown }).type)}`);
    }
  }

  place(cmd: PlaceCommand): CommandResult {
    const own = cmd.side === "buy" ? this.bids : this.asks;
    const book = cmd.side === "buy" ? this.asks : this.bids;
    const reason = checkPlace(cmd, this.rules) ?? this.checkPlaceAgainstBook(cmd, own, book);
    if (reason !== null) return this.reject("place", cmd.orderId, cmd.accountId, reason);

    const quoteAmount = cmd.quoteAmount ?? 0n;
    const isLimit = cmd.orderType === "limit";
    const price = isLimit ? cmd.price : 0;
    this.out.accepted(
      cmd.orderId,
      cmd.accountId,
      cmd.side,
      cmd.orderType,
      cmd.timeInForce,
      price,
      cmd.quantity,
      quoteAmount,
    );
    const stp = cmd.stp ?? DEFAULT_STP_MODE;
    const { orderId, accountId, side, quantity } = cmd;
    const taker = this.pool.acquire(orderId, accountId, side, price, quantity, stp, !!cmd.postOnly);
    const limitKey = isLimit ? book.keyOf(price) : Number.POSITIVE_INFINITY;
    if (cmd.timeInForce === "FOK" && !this.matcher.canFill(taker, book, limitKey)) {
      this.out.expired(taker.id, taker.accountId, taker.remaining, 0n, "FOK");
      this.pool.release(taker);
      return "OK";
    }
    const byQuote = quoteAmount !== 0n;
    this.matcher.budget = quoteAmount;
    const stopped = this.matcher.match(taker, book, limitKey, byQuote);
    const unspent = byQuote ? this.matcher.budget : 0n;
    if (!stopped && taker.remaining > 0 && cmd.timeInForce === "GTC") {
      this.rest(taker, own);
      return "OK";
    }
    if (stopped || taker.remaining > 0 || unspent > 0n) {
      const reason = stopped ? "SELF_TRADE" : "IOC";
      this.out.expired(taker.id, taker.accountId, taker.remaining, unspent, reason);
    }
    this.pool.release(taker);
    return "OK";
  }

  cancel(cmd: CancelCommand): CommandResult {
    const order = this.orders.get(cmd.orderId);
    if (order === undefined || order.accountId !== cmd.accountId) {
      return this.reject("cancel", cmd.orderId, cmd.accountId, "UNKNOWN_ORDER");
    }
    const own = order.side === "buy" ? this.bids : this.asks;
    const level = order.level as PriceLevel;
    own.remove(order);
    this.orders.delete(order.id);
    this.out.canceled(order.id, order.accountId, order.remaining);
    this.out.level(own.side, order.price, level.total, level.count);
    this.pool.release(order);
    return "OK";
  }

  amend(cmd: AmendCommand): CommandResult {
    const order = this.orders.get(cmd.orderId);
    if (order === undefined || order.accountId !== cmd.accountId) {
      return this.reject("amend", cmd.orderId, cmd.accountId, "UNKNOWN_ORDER");
    }
    const { price, quantity } = cmd;
    if (!isPositiveSafeInteger(price))
      return this.reject("amend", order.id, order.accountId, "INVALID_PRICE");
    if (!isPositiveSafeInteger(quantity))
      return this.reject("amend", order.id, order.accountId, "INVALID_QUANTITY");
    const own = order.side === "buy" ? this.bids : this.asks;
    const level = order.level as PriceLevel;
    if (price === order.price) {
      if (quantity <= order.remaining) return this.reduce(order, level, quantity);
      if (own.wouldOverflow(quantity - order.remaining)) {
        return this.reject("amend", order.id, order.accountId, "VOLUME_OVERFLOW");
      }
      return this.requeue(order, level, quantity);
    }
    const book = order.side === "buy" ? this.asks : this.bids;
    if (order.postOnly && book.isReachedBy(price)) {
      return this.reject("amend", order.id, order.accountId, "POST_ONLY_WOULD_TAKE");
    }
    if (own.wouldOverflow(quantity - order.remaining)) {
      return this.reject("amend", order.id, order.accountId, "VOLUME_OVERFLOW");
    }
    return this.move(order, own, book, level, price, quantity);
  }

  /** The best `levels` price levels of each side, aggregated, best first. O(levels). */
  depth(levels: number): Depth {
    return { bids: this.bids.depth(levels), asks: this.asks.depth(levels) };
  }

  bestBid(): number | null {
    return this.bids.best?.price ?? null;
  }

  bestAsk(): number | null {
    return this.asks.best?.price ?? null;
  }

  order(orderId: number): OrderView | undefined {
    const order = this.orders.get(orderId);
    return order === undefined ? undefined : viewOf(order);
  }

  /** The whole state: rules, sequence and every resting order, bids then asks, each in priority order. */
  snapshot(): EngineSnapshot {
    const orders: SnapshotOrder[] = [];
    for (const side of [this.bids, this.asks]) side.forEachOrder((order) => orders.push(viewOf(order)));
    return {
      version: 1,
      seq: this.out.seq,
      rules: { minQuantity: this.rules.minQuantity, minNotional: this.rules.minNotional.toString() },
      orders,
    };
  }

  /** Checks every structural invariant of the book; returns the violations found (none when healthy). */
  verify(): string[] {
    return verifyBook(this.bids, this.asks, this.orders, this.pool);
  }

  private checkPlaceAgainstBook(cmd: PlaceCommand, own: BookSide, book: BookSide): RejectReason | null {
    if (this.orders.has(cmd.orderId)) return "DUPLICATE_ORDER_ID";
    if (cmd.postOnly && book.isReachedBy(cmd.price)) return "POST_ONLY_WOULD_TAKE";
    if (cmd.timeInForce === "GTC" && own.wouldOverflow(cmd.quantity)) return "VOLUME_OVERFLOW";
    return null;
  }

  private reject(
    command: CommandType,
    orderId: number,
    accountId: number,
    reason: RejectReason,
  ): RejectReason {
    this.out.rejected(command, orderId, accountId, reason);
    return reason;
  }

  private rest(order: Order, own: BookSide): void {
    const level = own.levelAt(order.price);
    level.append(order);
    this.orders.set(order.id, order);
    this.out.level(own.side, order.price, level.total, level.count);
  }

  /** Same price, no more quantity: the order keeps its place in the queue. */
  private reduce(order: Order, level: PriceLevel, quantity: number): CommandResult {
    const changed = quantity !== order.remaining;
    level.reduce(order, quantity);
    this.out.amended(order.id, order.accountId, order.price, quantity, true);
    if (changed) this.out.level(order.side, order.price, level.total, level.count);
    return "OK";
  }

  /** Same price, more quantity: the order goes to the back of its queue. */
  private requeue(order: Order, level: PriceLevel, quantity: number): CommandResult {
    level.remove(order);
    order.quantity = order.filled + quantity;
    order.remaining = quantity;
    level.append(order);
    this.out.amended(order.id, order.accountId, order.price, quantity, false);
    this.out.level(order.side, order.price, level.total, level.count);
    return "OK";
  }

  /** New price: the order leaves its level, then arrives like a GTC limit order, trading first if it crosses. */
  private move(
    order: Order,
    own: BookSide,
    book: BookSide,
    from: PriceLevel,
    price: number,
    quantity: number,
  ): CommandResult {
    const oldPrice = order.price;
    own.remove(order);
    this.out.amended(order.id, order.accountId, price, quantity, false);
    this.out.level(own.side, oldPrice, from.total, from.count);
    order.price = price;
    order.quantity = order.filled + quantity;
    order.remaining = quantity;
    const stopped = this.matcher.match(order, book, book.keyOf(price), false);
    if (!stopped && order.remaining > 0) {
      const level = own.levelAt(price);
      level.append(order);
      this.out.level(own.side, price, level.total, level.count);
      return "OK";
    }
    this.orders.delete(order.id);
    if (stopped) this.out.expired(order.id, order.accountId, order.remaining, 0n, "SELF_TRADE");
    this.pool.release(order);
    return "OK";
  }

  private restoreOrder(saved: SnapshotOrder): void {
    const order = orderFrom(saved);
    (order.side === "buy" ? this.bids : this.asks).levelAt(order.price).append(order);
    this.orders.set(order.id, order);
  }
}
