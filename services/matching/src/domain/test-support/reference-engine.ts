import type { AmendCommand, CancelCommand, Command, PlaceCommand, Side, StpMode } from "../commands.js";
import type { CommandResult, EngineEvent, ExpireReason, RejectReason } from "../events.js";
import type { EngineRules } from "../rules.js";
import type { OrderView } from "../snapshot.js";

const MAX = BigInt(Number.MAX_SAFE_INTEGER);

/** An event before it is numbered. */
type Unnumbered<E> = E extends EngineEvent ? Omit<E, "seq"> : never;

interface RefOrder {
  id: number;
  accountId: number;
  side: Side;
  price: number;
  quantity: number;
  filled: number;
  remaining: number;
  stp: StpMode;
  postOnly: boolean;
  /** Arrival stamp for time priority. */
  time: number;
}

interface Taker extends RefOrder {
  budget: bigint;
  byQuote: boolean;
}

const isCount = (value: number) => Number.isSafeInteger(value) && value > 0;

/**
 * A deliberately naive model of the engine for differential tests: one unsorted array of resting orders,
 * and every question (the book order, a level's total, who trades next) recomputed from scratch by
 * filtering and sorting it. Slow and obviously right is the point; it shares no code with the engine.
 */
export class ReferenceEngine {
  private seq = 0;
  private clock = 0;
  private resting: RefOrder[] = [];

  constructor(
    private readonly rules: EngineRules,
    private readonly events: EngineEvent[],
  ) {}

  execute(cmd: Command): CommandResult {
    if (cmd.type === "place") return this.place(cmd);
    if (cmd.type === "cancel") return this.cancel(cmd);
    return this.amend(cmd);
  }

  /** Resting orders: bids then asks, best price first, then by arrival. */
  orders(): OrderView[] {
    return [...this.sorted("buy"), ...this.sorted("sell")].map((o) => ({
      orderId: o.id,
      accountId: o.accountId,
      side: o.side,
      price: o.price,
      quantity: o.quantity,
      filled: o.filled,
      remaining: o.remaining,
      stp: o.stp,
      postOnly: o.postOnly,
    }));
  }

  depth(side: Side, levels: number): { price: number; quantity: number; orders: number }[] {
    const prices = [...new Set(this.sorted(side).map((o) => o.price))].slice(0, levels);
    return prices.map((price) => {
      const at = this.resting.filter((o) => o.side === side && o.price === price);
      return { price, quantity: this.total(side, price), orders: at.length };
    });
  }

  private emit(event: Unnumbered<EngineEvent>): void {
    this.events.push({ ...event, seq: ++this.seq } as EngineEvent);
  }

  private reject(
    command: "place" | "cancel" | "amend",
    orderId: number,
    accountId: number,
    reason: RejectReason,
  ) {
    this.emit({ type: "rejected", command, orderId, accountId, reason });
    return reason;
  }

  private sorted(side: Side): RefOrder[] {
    const better =
      side === "buy"
        ? (a: RefOrder, b: RefOrder) => b.price - a.price
        : (a: RefOrder, b: RefOrder) => a.price - b.price;
    return this.resting.filter((o) => o.side === side).sort((a, b) => better(a, b) || a.time - b.time);
  }

  private total(side: Side, price: number): number {
    let sum = 0n;
    for (const o of this.resting) if (o.side === side && o.price === price) sum += BigInt(o.remaining);
    return Number(sum);
  }

  private crosses(takerSide: Side, limit: number | null, makerPrice: number): boolean {
    if (limit === null) return true;
    return takerSide === "buy" ? makerPrice <= limit : makerPrice >= limit;
  }

  /** Whether the side's total open quantity, less `leaving`'s, plus `quantity` would pass 2^53 - 1. */
  private wouldOverflow(side: Side, quantity: number, leaving?: RefOrder): boolean {
    let sum = BigInt(quantity) - BigInt(leaving?.remaining ?? 0);
    for (const o of this.resting) if (o.side === side) sum += BigInt(o.remaining);
    return sum > MAX;
  }

  private validatePlace(cmd: PlaceCommand): RejectReason | null {
    const quote = cmd.quoteAmount ?? 0n;
    const ids = [cmd.orderId, cmd.accountId].every((id) => Number.isSafeInteger(id) && id >= 0);
    const enums =
      ["buy", "sell"].includes(cmd.side) &&
      ["limit", "market"].includes(cmd.orderType) &&
      ["GTC", "IOC", "FOK"].includes(cmd.timeInForce) &&
      (cmd.stp === undefined || ["EXPIRE_TAKER", "EXPIRE_MAKER", "EXPIRE_BOTH"].includes(cmd.stp));
    const marketGtc = cmd.orderType === "market" && cmd.timeInForce === "GTC";
    const badPostOnly = !!cmd.postOnly && !(cmd.orderType === "limit" && cmd.timeInForce === "GTC");
    const badQuote =
      typeof quote !== "bigint" ||
      (quote !== 0n &&
        !(
          cmd.orderType === "market" &&
          cmd.side === "buy" &&
          cmd.timeInForce === "IOC" &&
          cmd.quantity === 0
        ));
    if (!ids || !enums || marketGtc || badPostOnly || badQuote) return "INVALID_ORDER";
    if (quote !== 0n) {
      if (quote < 0n) return "INVALID_QUANTITY";
      if (quote < this.rules.minNotional) return "BELOW_MIN_NOTIONAL";
    } else {
      if (!isCount(cmd.quantity)) return "INVALID_QUANTITY";
      if (cmd.orderType === "limit" && !isCount(cmd.price)) return "INVALID_PRICE";
      if (cmd.quantity < this.rules.minQuantity) return "BELOW_MIN_QUANTITY";
      if (cmd.orderType === "limit" && BigInt(cmd.price) * BigInt(cmd.quantity) < this.rules.minNotional) {
        return "BELOW_MIN_NOTIONAL";
      }
    }
    if (this.resting.some((o) => o.id === cmd.orderId)) return "DUPLICATE_ORDER_ID";
    const opposite = this.sorted(cmd.side === "buy" ? "sell" : "buy");
    const best = opposite[0];
    if (cmd.postOnly && best !== undefined && this.crosses(cmd.side, cmd.price, best.price)) {
      return "POST_ONLY_WOULD_TAKE";
    }
    if (cmd.timeInForce === "GTC" && this.wouldOverflow(cmd.side, cmd.quantity)) return "VOLUME_OVERFLOW";
    return null;
  }

  private place(cmd: PlaceCommand): CommandResult {
    const reason = this.validatePlace(cmd);
    if (reason !== null) return this.reject("place", cmd.orderId, cmd.accountId, reason);
    const quote = cmd.quoteAmount ?? 0n;
    const isLimit = cmd.orderType === "limit";
    this.emit({
      type: "accepted",
      orderId: cmd.orderId,
      accountId: cmd.accountId,
      side: cmd.side,
      orderType: cmd.orderType,
      timeInForce: cmd.timeInForce,
      price: isLimit ? cmd.price : 0,
      quantity: cmd.quantity,
      quoteAmount: quote,
    });
    const taker: Taker = {
      id: cmd.orderId,
      accountId: cmd.accountId,
      side: cmd.side,
      price: isLimit ? cmd.price : 0,
      quantity: cmd.quantity,
      filled: 0,
      remaining: cmd.quantity,
      stp: cmd.stp ?? "EXPIRE_TAKER",
      postOnly: !!cmd.postOnly,
      time: 0,
      budget: quote,
      byQuote: quote !== 0n,
    };
    const limit = isLimit ? cmd.price : null;
    if (cmd.timeInForce === "FOK" && !this.fillable(taker, limit)) {
      this.expire(taker, "FOK");
      return "OK";
    }
    const stopped = this.match(taker, limit);
    if (stopped) this.expire(taker, "SELF_TRADE");
    else if (taker.remaining > 0 && cmd.timeInForce === "GTC") this.rest(taker);
    else if (taker.remaining > 0 || taker.budget > 0n) this.expire(taker, "IOC");
    return "OK";
  }

  private expire(order: RefOrder, reason: ExpireReason, quoteAmount = (order as Taker).budget ?? 0n): void {
    this.emit({
      type: "expired",
      orderId: order.id,
      accountId: order.accountId,
      quantity: order.remaining,
      quoteAmount,
      reason,
    });
  }

  private rest(order: RefOrder): void {
    this.resting.push({
      id: order.id,
      accountId: order.accountId,
      side: order.side,
      price: order.price,
      quantity: order.quantity,
      filled: order.filled,
      remaining: order.remaining,
      stp: order.stp,
      postOnly: order.postOnly,
      time: ++this.clock,
    });
    this.emitLevel(order.side, order.price);
  }

  private emitLevel(side: Side, price: number): void {
    this.emit({
      type: "level",
      side,
      price,
      quantity: this.total(side, price),
      orderCount: this.resting.filter((o) => o.side === side && o.price === price).length,
    });
  }

  private removeResting(order: RefOrder): void {
    this.resting = this.resting.filter((o) => o !== order);
  }

  private makers(taker: RefOrder, limit: number | null): RefOrder[] {
    return this.sorted(taker.side === "buy" ? "sell" : "buy").filter((o) =>
      this.crosses(taker.side, limit, o.price),
    );
  }

  private fillable(taker: Taker, limit: number | null): boolean {
    let filled = 0;
    for (const maker of this.makers(taker, limit)) {
      if (maker.accountId === taker.accountId) {
        if (taker.stp === "EXPIRE_MAKER") continue;
        return false;
      }
      filled += maker.remaining;
      if (filled >= taker.remaining) return true;
    }
    return false;
  }

  /** Returns true when self-trade prevention stopped the taker. */
  private match(taker: Taker, limit: number | null): boolean {
    const makers = this.makers(taker, limit);
    const prices = [...new Set(makers.map((m) => m.price))];
    const makerSide: Side = taker.side === "buy" ? "sell" : "buy";
    for (const price of prices) {
      if (taker.byQuote && taker.budget < BigInt(price)) return false;
      let outcome: "continue" | "done" | "stopped" = "continue";
      let changed = false;
      for (const maker of makers.filter((m) => m.price === price)) {
        if (maker.accountId === taker.accountId) {
          if (taker.stp !== "EXPIRE_TAKER") {
            this.removeResting(maker);
            this.expire(maker, "SELF_TRADE", 0n);
            changed = true;
          }
          if (taker.stp !== "EXPIRE_MAKER") {
            outcome = "stopped";
            break;
          }
          continue;
        }
        const quantity = taker.byQuote
          ? Number(
              taker.budget / BigInt(price) < BigInt(maker.remaining)
                ? taker.budget / BigInt(price)
                : BigInt(maker.remaining),
            )
          : Math.min(taker.remaining, maker.remaining);
        if (taker.byQuote) taker.budget -= BigInt(price) * BigInt(quantity);
        else taker.remaining -= quantity;
        taker.filled += quantity;
        maker.remaining -= quantity;
        maker.filled += quantity;
        changed = true;
        this.emit({
          type: "trade",
          makerOrderId: maker.id,
          makerAccountId: maker.accountId,
          takerOrderId: taker.id,
          takerAccountId: taker.accountId,
          takerSide: taker.side,
          price,
          quantity,
          makerRemaining: maker.remaining,
        });
        if (maker.remaining === 0) this.removeResting(maker);
        if (taker.byQuote ? taker.budget < BigInt(price) : taker.remaining === 0) {
          outcome = "done";
          break;
        }
      }
      if (changed) this.emitLevel(makerSide, price);
      if (outcome !== "continue") return outcome === "stopped";
    }
    return false;
  }

  private owned(orderId: number, accountId: number): RefOrder | undefined {
    return this.resting.find((o) => o.id === orderId && o.accountId === accountId);
  }

  private cancel(cmd: CancelCommand): CommandResult {
    const order = this.owned(cmd.orderId, cmd.accountId);
    if (order === undefined) return this.reject("cancel", cmd.orderId, cmd.accountId, "UNKNOWN_ORDER");
    this.removeResting(order);
    this.emit({ type: "canceled", orderId: order.id, accountId: order.accountId, quantity: order.remaining });
    this.emitLevel(order.side, order.price);
    return "OK";
  }

  private amend(cmd: AmendCommand): CommandResult {
    const order = this.owned(cmd.orderId, cmd.accountId);
    if (order === undefined) return this.reject("amend", cmd.orderId, cmd.accountId, "UNKNOWN_ORDER");
    if (!isCount(cmd.price)) return this.reject("amend", cmd.orderId, cmd.accountId, "INVALID_PRICE");
    if (!isCount(cmd.quantity)) return this.reject("amend", cmd.orderId, cmd.accountId, "INVALID_QUANTITY");
    const emitAmended = (priorityKept: boolean) =>
      this.emit({
        type: "amended",
        orderId: order.id,
        accountId: order.accountId,
        price: cmd.price,
        quantity: cmd.quantity,
        priorityKept,
      });
    if (cmd.price === order.price) {
      if (cmd.quantity > order.remaining && this.wouldOverflow(order.side, cmd.quantity, order)) {
        return this.reject("amend", cmd.orderId, cmd.accountId, "VOLUME_OVERFLOW");
      }
      const keeps = cmd.quantity <= order.remaining;
      const changed = cmd.quantity !== order.remaining;
      order.quantity = order.filled + cmd.quantity;
      order.remaining = cmd.quantity;
      if (!keeps) order.time = ++this.clock;
      emitAmended(keeps);
      if (changed) this.emitLevel(order.side, order.price);
      return "OK";
    }
    const opposite = this.sorted(order.side === "buy" ? "sell" : "buy")[0];
    if (order.postOnly && opposite !== undefined && this.crosses(order.side, cmd.price, opposite.price)) {
      return this.reject("amend", cmd.orderId, cmd.accountId, "POST_ONLY_WOULD_TAKE");
    }
    if (this.wouldOverflow(order.side, cmd.quantity, order)) {
      return this.reject("amend", cmd.orderId, cmd.accountId, "VOLUME_OVERFLOW");
    }
    this.removeResting(order);
    emitAmended(false);
    this.emitLevel(order.side, order.price);
    const taker: Taker = {
      ...order,
      price: cmd.price,
      quantity: order.filled + cmd.quantity,
      remaining: cmd.quantity,
      budget: 0n,
      byQuote: false,
    };
    const stopped = this.match(taker, cmd.price);
    if (stopped) this.expire(taker, "SELF_TRADE");
    else if (taker.remaining > 0) this.rest(taker);
    return "OK";
  }
}
