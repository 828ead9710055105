import {
  type AccountTradeRecord,
  lotsToQuantity,
  type OrderRecord,
  type TradingMarket,
  ticksToPrice,
} from "@bourse/trading";
import type { LevelState } from "../market-data/market-feed.js";
import type { Engine } from "./engine.js";
import type { EngineIds } from "./engine-ids.js";
import type { EngineEvent, ExpiredEvent, LevelEvent, TradeEvent } from "./events.js";
import { fillStep } from "./fill-step.js";
import { levelState } from "./level-state.js";
import { closeRelease, type DoneState, doneOrder } from "./order-close.js";
import { filledLots } from "./order-units.js";
import type { CommandOutcome, FillStep, HoldRelease } from "./outcome.js";

/** What a market book keeps beside its engine: the stored record of every resting order, by engine number. */
export interface BookState {
  readonly engine: Engine;
  readonly market: TradingMarket;
  readonly ids: EngineIds;
  readonly resting: Map<number, OrderRecord>;
}

/**
 * Turns the engine events of one command about one order (the subject: the order submitted, canceled or
 * amended) into the command's outcome, keeping the book's records in step with the engine: makers filled or
 * expired on the way, then the subject's own end.
 */
export class CommandRun {
  private readonly steps: FillStep[] = [];
  /** Orders changed outside the fills, by order id, each in its last state. */
  private readonly changed = new Map<string, OrderRecord>();
  private readonly releases: HoldRelease[] = [];
  private readonly trades: AccountTradeRecord[] = [];
  /** The last event of each level the command changed, keyed by price (negated for bids), in first-change order. */
  private readonly levels = new Map<number, LevelEvent>();
  private end: DoneState | undefined;
  /** Set by an amend that kept the subject's place in its queue; any other way of resting is a new place. */
  private priorityKept = false;

  constructor(
    private readonly book: BookState,
    private readonly subjectNumber: number,
    private subject: OrderRecord,
    /** True for a market buy sized by quote: its IOC remainder is an unspent budget. */
    private readonly byQuote: boolean,
    private readonly now: Date,
  ) {}

  apply(events: readonly EngineEvent[]): void {
    for (const event of events) {
      switch (event.type) {
        case "trade":
          this.trade(event);
          break;
        case "expired":
          if (event.orderId === this.subjectNumber) this.end = this.expiredAs(event);
          else this.expireMaker(event.orderId);
          break;
        case "canceled":
          this.end = { status: "CANCELED" };
          break;
        case "amended":
          this.amended(event.price, event.quantity, event.priorityKept);
          break;
        case "level":
          this.levels.set(event.side === "buy" ? -event.price : event.price, event);
          break;
        default:
          break;
      }
    }
  }

  /** Ends the subject as `state` without anything from the engine (it was refused, or had nothing left). */
  endAs(state: DoneState): void {
    this.end = state;
  }

  /**
   * The outcome, once the events are applied. The subject rests if the engine kept it (joining its queue at
   * this command's last sequence unless an amend kept its priority); otherwise it is done, FILLED unless an
   * event said otherwise, and what remains of its hold is released.
   */
  finish(): CommandOutcome {
    const { engine, resting, ids } = this.book;
    let order: OrderRecord;
    if (this.end === undefined && engine.order(this.subjectNumber) !== undefined) {
      const bookSeq =
        this.priorityKept && this.subject.bookSeq !== undefined ? this.subject.bookSeq : engine.seq;
      order = {
        ...this.subject,
        status: this.subject.filledBase > 0n ? "PARTIALLY_FILLED" : "NEW",
        bookSeq,
        updatedAt: this.now,
      };
      resting.set(this.subjectNumber, order);
    } else {
      order = doneOrder(this.subject, this.end ?? { status: "FILLED" }, this.now);
      resting.delete(this.subjectNumber);
      ids.leave(order.orderId);
      this.releases.push(closeRelease(order));
    }
    this.changed.set(order.orderId, order);
    return {
      seq: engine.seq,
      steps: this.steps,
      closing: { orders: [...this.changed.values()], releases: this.releases },
      report: { kind: "order", order, trades: this.trades },
      levels: this.levelStates(),
      at: this.now,
    };
  }

  private levelStates(): LevelState[] {
    const { market } = this.book;
    const states: LevelState[] = [];
    for (const { side, price, quantity, orderCount } of this.levels.values()) {
      states.push(levelState(side, price, quantity, orderCount, market));
    }
    return states;
  }

  private trade(event: TradeEvent): void {
    const { market, resting, ids } = this.book;
    const makerNumber = event.makerOrderId;
    const maker = this.restingOrder(makerNumber);
    const step = fillStep(event, maker, this.subject, market, this.now);
    if (event.makerRemaining === 0) {
      resting.delete(makerNumber);
      ids.leave(maker.orderId);
    } else {
      resting.set(makerNumber, step.makerAfter);
    }
    this.subject = step.takerAfter;
    this.steps.push(step);
    const [buyerView, sellerView] = step.accountTrades;
    this.trades.push(buyerView.orderId === this.subject.orderId ? buyerView : sellerView);
  }

  /** A resting order of the taker's account, expired by self-trade prevention (EXPIRE_MAKER or EXPIRE_BOTH). */
  private expireMaker(makerNumber: number): void {
    const { resting, ids } = this.book;
    const expired = doneOrder(
      this.restingOrder(makerNumber),
      { status: "EXPIRED", expireReason: "SELF_TRADE_PREVENTION" },
      this.now,
    );
    resting.delete(makerNumber);
    ids.leave(expired.orderId);
    this.changed.set(expired.orderId, expired);
    this.releases.push(closeRelease(expired));
  }

  private amended(price: number, openLots: number, priorityKept: boolean): void {
    const { market } = this.book;
    this.subject = {
      ...this.subject,
      price: ticksToPrice(price, market),
      quantity: lotsToQuantity(filledLots(this.subject, market) + openLots, market),
    };
    this.priorityKept = priorityKept;
  }

  /**
   * How the subject ended when the engine expired it, as the proto's enums define it. The engine says IOC
   * for any remainder of an order that may not rest. A market buy by quote that bought something is FILLED:
   * what is left of its budget cannot buy a lot on offer, whether the next lot costs more or none is left (as
   * Coinbase closes a market order by funds); so the status does not hang on the book after the sweep, which
   * a sweep resumed after a crash may see differently. A market order that met an empty side and filled
   * nothing found NO_LIQUIDITY; a market buy sized by quantity that reached its protection price with asks
   * left ran out of what was reserved for it (BUDGET_EXHAUSTED); any other remainder is IOC_REMAINDER.
   */
  private expiredAs(event: ExpiredEvent): DoneState {
    if (event.reason === "FOK") return { status: "EXPIRED", expireReason: "FOK_UNFILLABLE" };
    if (event.reason === "SELF_TRADE") return { status: "EXPIRED", expireReason: "SELF_TRADE_PREVENTION" };
    const filled = this.subject.filledBase > 0n;
    const opposite = this.subject.side === "buy" ? this.book.engine.bestAsk() : this.book.engine.bestBid();
    if (this.byQuote && filled) return { status: "FILLED" };
    if (this.subject.type === "market" && !filled && opposite === null) {
      return { status: "EXPIRED", expireReason: "NO_LIQUIDITY" };
    }
    if (this.subject.type === "market" && !this.byQuote && opposite !== null) {
      return { status: "EXPIRED", expireReason: "BUDGET_EXHAUSTED" };
    }
    return { status: "EXPIRED", expireReason: "IOC_REMAINDER" };
  }

  private restingOrder(number: number): OrderRecord {
    const order = this.book.resting.get(number);
    if (order === undefined) throw new Error(`engine order ${number} has no record in the market book`);
    return order;
  }
}
