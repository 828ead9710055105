import type { OrderType, Side, TimeInForce } from "./commands.js";
import type { CommandType, EngineEvent, EventSink, ExpireReason, RejectReason } from "./events.js";

/** A sink that keeps every event as an {@link EngineEvent} object, for tests and for callers that want objects. */
export class EventRecorder implements EventSink {
  readonly events: EngineEvent[] = [];

  accepted(
    seq: number,
    orderId: number,
    accountId: number,
    side: Side,
    orderType: OrderType,
    timeInForce: TimeInForce,
    price: number,
    quantity: number,
    quoteAmount: bigint,
  ): void {
    this.events.push({
      type: "accepted",
      seq,
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
    seq: number,
    command: CommandType,
    orderId: number,
    accountId: number,
    reason: RejectReason,
  ): void {
    this.events.push({ type: "rejected", seq, command, orderId, accountId, reason });
  }

  trade(
    seq: number,
    makerOrderId: number,
    makerAccountId: number,
    takerOrderId: number,
    takerAccountId: number,
    takerSide: Side,
    price: number,
    quantity: number,
    makerRemaining: number,
  ): void {
    this.events.push({
      type: "trade",
      seq,
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

  canceled(seq: number, orderId: number, accountId: number, quantity: number): void {
    this.events.push({ type: "canceled", seq, orderId, accountId, quantity });
  }

  expired(
    seq: number,
    orderId: number,
    accountId: number,
    quantity: number,
    quoteAmount: bigint,
    reason: ExpireReason,
  ): void {
    this.events.push({ type: "expired", seq, orderId, accountId, quantity, quoteAmount, reason });
  }

  amended(
    seq: number,
    orderId: number,
    accountId: number,
    price: number,
    quantity: number,
    priorityKept: boolean,
  ): void {
    this.events.push({ type: "amended", seq, orderId, accountId, price, quantity, priorityKept });
  }

  level(seq: number, side: Side, price: number, quantity: number, orderCount: number): void {
    this.events.push({ type: "level", seq, side, price, quantity, orderCount });
  }
}
