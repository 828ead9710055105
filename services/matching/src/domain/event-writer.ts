import type { OrderType, Side, TimeInForce } from "./commands.js";
import type { CommandType, EventSink, ExpireReason, RejectReason } from "./events.js";

/** Gives each event the next sequence number, gaplessly, on its way to the sink. */
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
    this.sink.accepted(
      ++this.seq,
      orderId,
      accountId,
      side,
      orderType,
      timeInForce,
      price,
      quantity,
      quoteAmount,
    );
  }

  rejected(command: CommandType, orderId: number, accountId: number, reason: RejectReason): void {
    this.sink.rejected(++this.seq, command, orderId, accountId, reason);
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
    this.sink.trade(
      ++this.seq,
      makerOrderId,
      makerAccountId,
      takerOrderId,
      takerAccountId,
      takerSide,
      price,
      quantity,
      makerRemaining,
    );
  }

  canceled(orderId: number, accountId: number, quantity: number): void {
    this.sink.canceled(++this.seq, orderId, accountId, quantity);
  }

  expired(
    orderId: number,
    accountId: number,
    quantity: number,
    quoteAmount: bigint,
    reason: ExpireReason,
  ): void {
    this.sink.expired(++this.seq, orderId, accountId, quantity, quoteAmount, reason);
  }

  amended(orderId: number, accountId: number, price: number, quantity: number, priorityKept: boolean): void {
    this.sink.amended(++this.seq, orderId, accountId, price, quantity, priorityKept);
  }

  level(side: Side, price: number, quantity: number, orderCount: number): void {
    this.sink.level(++this.seq, side, price, quantity, orderCount);
  }
}
