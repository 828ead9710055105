import {
  holdFor,
  lotsToQuantity,
  OPEN_STATES,
  OrderAmountError,
  type OrderRecord,
  type OrderRejectReason,
  priceToTicks,
  quantityToLots,
  type TradingMarket,
  ticksToPrice,
} from "@bourse/trading";
import type { BookSide, LevelState } from "../market-data/market-feed.js";
import type { DepthLevel } from "./book-side.js";
import { type BookState, CommandRun } from "./command-run.js";
import type { Command } from "./commands.js";
import { Engine } from "./engine.js";
import { EngineIds } from "./engine-ids.js";
import { EventRecorder } from "./event-recorder.js";
import type { CommandResult, EngineEvent, RejectReason } from "./events.js";
import { levelState } from "./level-state.js";
import type { DoneState } from "./order-close.js";
import { orderEntry } from "./order-entry.js";
import { atOrderRates, isSizedByQuote } from "./order-units.js";
import type { CommandOutcome, CommandReport } from "./outcome.js";
import { restoreSnapshot } from "./restore.js";

export interface RestoredBook {
  /** The market's last persisted sequence (`MARKET#<m>`/`BOOK`). */
  readonly seq: number;
  /** The market's open orders that have a book sequence. */
  readonly resting: readonly OrderRecord[];
}

export interface AmendChange {
  /** New limit price, decimal; absent to keep the current one. */
  readonly price?: string;
  /** New open quantity (excluding what has filled), decimal; absent to keep it. Never more than now. */
  readonly remainingQuantity?: string;
}

export interface BookLevel {
  readonly price: string;
  readonly quantity: string;
}

/**
 * One market's order book over stored orders: the engine (ticks, lots, numeric ids) wrapped so that commands
 * take and give `OrderRecord`s, and each command returns the outcome settlement writes (outcome.ts,
 * docs/order-flow.md). Pure: no I/O and no clock, so a book rebuilt from the stored resting orders behaves
 * exactly like the one before it.
 *
 * Entry filters (tick, lot, minimums, halts) are the orders service's: the engine runs with open rules, so a
 * resumed order's small remainder, or an amend below the minimum, is never refused here.
 */
export class MarketBook {
  private readonly recorder = new EventRecorder();
  private readonly engine: Engine;
  private readonly ids = new EngineIds();
  private readonly resting = new Map<number, OrderRecord>();
  private readonly state: BookState;

  constructor(
    /** The market's rules and scales. */
    readonly market: TradingMarket,
    restored: RestoredBook,
  ) {
    const snapshot = restoreSnapshot(market, restored, this.ids, this.resting);
    this.engine = Engine.restore(snapshot, this.recorder);
    this.state = { engine: this.engine, market, ids: this.ids, resting: this.resting };
  }

  /** Sequence of the last engine event: the `MARKET#<m>`/`BOOK` item's `seq` once the outcomes are written. */
  get seq(): number {
    return this.engine.seq;
  }

  has(orderId: string): boolean {
    return this.restingRecord(orderId) !== undefined;
  }

  /** A resting order as it stands. */
  order(orderId: string): OrderRecord | undefined {
    return this.restingRecord(orderId)?.record;
  }

  status(): { openOrders: number; bestBid?: string; bestAsk?: string } {
    const bid = this.engine.bestBid();
    const ask = this.engine.bestAsk();
    return {
      openOrders: this.engine.orderCount,
      ...(bid === null ? {} : { bestBid: ticksToPrice(bid, this.market) }),
      ...(ask === null ? {} : { bestAsk: ticksToPrice(ask, this.market) }),
    };
  }

  /** The best `levels` price levels of each side, best first. */
  depth(levels: number): { bids: BookLevel[]; asks: BookLevel[] } {
    const { bids, asks } = this.engine.depth(levels);
    const level = ({ price, quantity }: { price: number; quantity: number }): BookLevel => ({
      price: ticksToPrice(price, this.market),
      quantity: lotsToQuantity(quantity, this.market),
    });
    return { bids: bids.map(level), asks: asks.map(level) };
  }

  /** Every level of each side with its order count, best first: market data's book at this sequence. */
  levels(): { bids: LevelState[]; asks: LevelState[] } {
    const { bids, asks } = this.engine.depth(Number.POSITIVE_INFINITY);
    const state =
      (side: BookSide) =>
      ({ price, quantity, orders }: DepthLevel): LevelState =>
        levelState(side, price, quantity, orders, this.market);
    return { bids: bids.map(state("buy")), asks: asks.map(state("sell")) };
  }

  /** Every resting order, bids then asks, each side in priority order. */
  restingRecords(): OrderRecord[] {
    return this.engine.snapshot().orders.map(({ orderId }) => {
      const record = this.resting.get(orderId);
      if (record === undefined) throw new Error(`engine order ${orderId} has no record in the market book`);
      return record;
    });
  }

  /**
   * Enters a pending order: a new one, or one resumed with progress from an interrupted sweep, which
   * continues with what remains of it. An order already in the book, or already done, is reported as it is.
   */
  submit(order: OrderRecord, now: Date): CommandOutcome {
    if (order.market !== this.market.symbol) {
      return this.nothing(
        {
          kind: "refused",
          code: "invalid_argument",
          message: `order is for ${order.market}`,
        },
        now,
      );
    }
    const known = this.order(order.orderId);
    if (known !== undefined || !OPEN_STATES.has(order.status)) {
      return this.nothing({ kind: "order", order: known ?? order, trades: [] }, now);
    }
    const numbers = { orderId: this.ids.enter(order.orderId), accountId: this.ids.account(order.accountId) };
    const run = new CommandRun(this.state, numbers.orderId, order, isSizedByQuote(order), now);
    const entry = orderEntry(order, this.market, numbers);
    if (entry.kind === "reject") {
      run.endAs({ status: "REJECTED", rejectReason: entry.reason });
    } else if (entry.kind === "nothing_left") {
      run.endAs(this.nothingLeft(order));
    } else {
      const { result, events } = this.execute(entry.command);
      if (result === "OK") run.apply(events);
      else run.endAs({ status: "REJECTED", rejectReason: placeRejectReason(result) });
    }
    return run.finish();
  }

  cancel(orderId: string, accountId: string, now: Date): CommandOutcome {
    const found = this.restingRecord(orderId);
    if (found === undefined || found.record.accountId !== accountId)
      return this.nothing({ kind: "unknown_order" }, now);
    const run = new CommandRun(this.state, found.number, found.record, false, now);
    const { result, events } = this.execute({
      type: "cancel",
      orderId: found.number,
      accountId: this.ids.account(accountId),
    });
    if (result !== "OK") throw new Error(`engine refused to cancel resting order ${orderId}: ${result}`);
    run.apply(events);
    return run.finish();
  }

  /**
   * Changes a resting order's price and open quantity. Refused when the quantity would grow, and for a buy
   * whose new price needs more than remains under its hold; an amend releases nothing (what it no longer
   * needs stays reserved until the order is done).
   */
  amend(orderId: string, accountId: string, change: AmendChange, now: Date): CommandOutcome {
    const found = this.restingRecord(orderId);
    const view = found === undefined ? undefined : this.engine.order(found.number);
    if (found === undefined || view === undefined || found.record.accountId !== accountId) {
      return this.nothing({ kind: "unknown_order" }, now);
    }
    const { record, number } = found;
    let price = view.price;
    let open = view.remaining;
    try {
      if (change.price !== undefined) price = priceToTicks(change.price, this.market);
      if (change.remainingQuantity !== undefined)
        open = quantityToLots(change.remainingQuantity, this.market);
    } catch (error) {
      if (error instanceof OrderAmountError)
        return this.refused("invalid_argument", amountMessage(error), now);
      throw error;
    }
    if (price <= 0) return this.refused("invalid_argument", "price must be positive", now);
    if (open <= 0)
      return this.refused("invalid_argument", "remaining quantity must be positive; cancel instead", now);
    if (open > view.remaining) {
      return this.refused(
        "failed_precondition",
        "an amend cannot raise the quantity; place another order",
        now,
      );
    }
    if (record.side === "buy" && price !== view.price && !this.holdCovers(record, price, open)) {
      return this.refused("failed_precondition", "the order's hold does not cover the new price", now);
    }
    const run = new CommandRun(this.state, number, record, false, now);
    const accountNumber = this.ids.account(accountId);
    const { result, events } = this.execute({
      type: "amend",
      orderId: number,
      accountId: accountNumber,
      price,
      quantity: open,
    });
    if (result !== "OK") return this.refused(...amendRefusal(result), now);
    run.apply(events);
    return run.finish();
  }

  private restingRecord(orderId: string): { number: number; record: OrderRecord } | undefined {
    const number = this.ids.order(orderId);
    const record = number === undefined ? undefined : this.resting.get(number);
    return number === undefined || record === undefined ? undefined : { number, record };
  }

  private execute(command: Command): { result: CommandResult; events: readonly EngineEvent[] } {
    this.recorder.events.length = 0;
    const result = this.engine.execute(command);
    return { result, events: this.recorder.events };
  }

  /** Whether a buy's hold, less what its fills consumed, still reserves `open` lots at `price` with fees. */
  private holdCovers(record: OrderRecord, price: number, open: number): boolean {
    const order = {
      side: "buy",
      type: "limit",
      price: ticksToPrice(price, this.market),
      quantity: lotsToQuantity(open, this.market),
      quoteAmount: "",
    } as const;
    const reserve = holdFor(order, atOrderRates(this.market, record)).amount;
    return reserve <= record.holdAmount - record.filledQuote - record.feeQuote;
  }

  /**
   * A resumed order whose sweep used everything before it was cut. It is FILLED if it traded; a budget too
   * small for even one notional unit expires: NO_LIQUIDITY on an empty side, else IOC_REMAINDER.
   */
  private nothingLeft(order: OrderRecord): DoneState {
    if (order.filledBase > 0n) return { status: "FILLED" };
    if (!isSizedByQuote(order)) return { status: "REJECTED" };
    const expireReason = this.engine.bestAsk() === null ? "NO_LIQUIDITY" : "IOC_REMAINDER";
    return { status: "EXPIRED", expireReason };
  }

  private nothing(report: CommandReport, now: Date): CommandOutcome {
    return {
      seq: this.engine.seq,
      steps: [],
      closing: { orders: [], releases: [] },
      report,
      levels: [],
      at: now,
    };
  }

  private refused(
    code: "failed_precondition" | "invalid_argument",
    message: string,
    now: Date,
  ): CommandOutcome {
    return this.nothing({ kind: "refused", code, message }, now);
  }
}

/** The stored reason closest to the engine's: these are refusals the orders service should have prevented. */
function placeRejectReason(reason: RejectReason): OrderRejectReason | undefined {
  switch (reason) {
    case "POST_ONLY_WOULD_TAKE":
    case "BELOW_MIN_QUANTITY":
    case "BELOW_MIN_NOTIONAL":
      return reason;
    case "INVALID_PRICE":
      return "PRICE_NOT_ON_TICK";
    case "INVALID_QUANTITY":
      return "QUANTITY_NOT_ON_LOT";
    default:
      return undefined;
  }
}

function amendRefusal(reason: RejectReason): ["failed_precondition" | "invalid_argument", string] {
  switch (reason) {
    case "POST_ONLY_WOULD_TAKE":
      return ["failed_precondition", "a post-only order cannot move to a price that would take"];
    case "VOLUME_OVERFLOW":
      return ["failed_precondition", "the price level cannot hold more quantity"];
    default:
      return ["invalid_argument", `the engine refused the amend: ${reason}`];
  }
}

function amountMessage(error: OrderAmountError): string {
  switch (error.code) {
    case "PRICE_NOT_ON_TICK":
      return "price is not on the market's tick";
    case "QUANTITY_NOT_ON_LOT":
      return "quantity is not on the market's lot";
    case "TOO_LARGE":
      return "price or quantity is too large";
    default:
      return "price and quantity must be decimal strings";
  }
}
