import type { OrderType, Side, TimeInForce } from "./commands.js";
import type { EventSink, ExpireReason, RejectedEvent, RejectReason } from "./events.js";

/**
 * Numbers events gaplessly and hands them to the sink. Each event type is built in exactly one place so
 * that every event of a type shares one hidden class, which keeps the sink's call sites fast.
 */
export class EventWriter {
  constructor(
    private readonly sink: EventSink,
    /** Sequence number of the last event written. */
    public seq: number,
  ) {}

  accepted(
    orderId: number,
    accountId: number,
    side: Side,
    orderType: OrderType,
    timeInForce: TimeInForce,
    price: number,
    quantity: number,
    quoteAmount: bigint,
  ): void {
    this.sink.push({
      type: "accepted",
      seq: ++this.seq,
      orderId,
      accountId,
      side,
      orderType,
      timeInForce,
      price,
      quantity,
      quoteAmount,
    });
  }

  rejected(
    command: RejectedEvent["command"],
    orderId: number,
    accountId: number,
    reason: RejectReason,
  ): void {
    this.sink.push({ type: "rejected", seq: ++this.seq, command, orderId, accountId, reason });
  }

  trade(
    makerOrderId: number,
    makerAccountId: number,
    takerOrderId: number,
    takerAccountId: number,
    takerSide: Side,
    price: number,
    quantity: number,
    makerRemaining: number,
  ): void {
    this.sink.push({
      type: "trade",
      seq: ++this.seq,
      makerOrderId,
      makerAccountId,
      takerOrderId,
      takerAccountId,
      takerSide,
      price,
      quantity,
      makerRemaining,
    });
  }

  canceled(orderId: number, accountId: number, quantity: number): void {
    this.sink.push({ type: "canceled", seq: ++this.seq, orderId, accountId, quantity });
  }

  expired(
    orderId: number,
    accountId: number,
    quantity: number,
    quoteAmount: bigint,
    reason: ExpireReason,
  ): void {
    this.sink.push({ type: "expired", seq: ++this.seq, orderId, accountId, quantity, quoteAmount, reason });
  }

  amended(orderId: number, accountId: number, price: number, quantity: number, priorityKept: boolean): void {
    this.sink.push({ type: "amended", seq: ++this.seq, orderId, accountId, price, quantity, priorityKept });
  }

  level(side: Side, price: number, quantity: number): void {
    this.sink.push({ type: "level", seq: ++this.seq, side, price, quantity });
  }
}
