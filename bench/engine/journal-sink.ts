import type {
  CommandType,
  EventSink,
  ExpireReason,
  OrderType,
  RejectReason,
  Side,
  TimeInForce,
} from "../../services/matching/src/domain/index.js";

/** Room for the latest 65,536 events. */
const SLOTS = 1 << 16;
const FIELDS = 10;

const code = (side: Side) => (side === "buy" ? 1 : 2);

/**
 * What a service does with events on the hot path: serialise them into a preallocated ring buffer for a
 * journal writer to pick up, without allocating. Each event is a type code, the sequence number and its
 * numeric fields; strings become small codes. The workload never sizes by quote, so quote amounts (always
 * 0n here) are stored as numbers; a real journal would write them losslessly.
 */
export class JournalSink implements EventSink {
  events = 0;
  trades = 0;
  private readonly ring = new Float64Array(SLOTS * FIELDS);

  private slot(type: number, seq: number): number {
    const at = (this.events++ & (SLOTS - 1)) * FIELDS;
    this.ring[at] = type;
    this.ring[at + 1] = seq;
    return at + 2;
  }

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
    const at = this.slot(1, seq);
    this.ring[at] = orderId;
    this.ring[at + 1] = accountId;
    this.ring[at + 2] = code(side);
    this.ring[at + 3] = orderType === "limit" ? 1 : 2;
    this.ring[at + 4] = timeInForce === "GTC" ? 1 : timeInForce === "IOC" ? 2 : 3;
    this.ring[at + 5] = price;
    this.ring[at + 6] = quantity;
    this.ring[at + 7] = quoteAmount === 0n ? 0 : Number(quoteAmount);
  }

  rejected(
    seq: number,
    command: CommandType,
    orderId: number,
    accountId: number,
    reason: RejectReason,
  ): void {
    const at = this.slot(2, seq);
    this.ring[at] = orderId;
    this.ring[at + 1] = accountId;
    this.ring[at + 2] = command.length;
    this.ring[at + 3] = reason.length;
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
    this.trades++;
    const at = this.slot(3, seq);
    this.ring[at] = makerOrderId;
    this.ring[at + 1] = makerAccountId;
    this.ring[at + 2] = takerOrderId;
    this.ring[at + 3] = takerAccountId;
    this.ring[at + 4] = code(takerSide);
    this.ring[at + 5] = price;
    this.ring[at + 6] = quantity;
    this.ring[at + 7] = makerRemaining;
  }

  canceled(seq: number, orderId: number, accountId: number, quantity: number): void {
    const at = this.slot(4, seq);
    this.ring[at] = orderId;
    this.ring[at + 1] = accountId;
    this.ring[at + 2] = quantity;
  }

  expired(
    seq: number,
    orderId: number,
    accountId: number,
    quantity: number,
    quoteAmount: bigint,
    reason: ExpireReason,
  ): void {
    const at = this.slot(5, seq);
    this.ring[at] = orderId;
    this.ring[at + 1] = accountId;
    this.ring[at + 2] = quantity;
    this.ring[at + 3] = quoteAmount === 0n ? 0 : Number(quoteAmount);
    this.ring[at + 4] = reason.length;
  }

  amended(
    seq: number,
    orderId: number,
    accountId: number,
    price: number,
    quantity: number,
    priorityKept: boolean,
  ): void {
    const at = this.slot(6, seq);
    this.ring[at] = orderId;
    this.ring[at + 1] = accountId;
    this.ring[at + 2] = price;
    this.ring[at + 3] = quantity;
    this.ring[at + 4] = priorityKept ? 1 : 0;
  }

  level(seq: number, side: Side, price: number, quantity: number, orderCount: number): void {
    const at = this.slot(7, seq);
    this.ring[at] = code(side);
    this.ring[at + 1] = price;
    this.ring[at + 2] = quantity;
    this.ring[at + 3] = orderCount;
  }
}
