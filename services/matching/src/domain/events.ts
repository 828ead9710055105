import type { Command, OrderType, Side, TimeInForce } from "./commands.js";

/** Why a command was refused. A refused command changes nothing but the sequence number. */
export type RejectReason =
  | "INVALID_ORDER"
  | "INVALID_PRICE"
  | "INVALID_QUANTITY"
  | "BELOW_MIN_QUANTITY"
  | "BELOW_MIN_NOTIONAL"
  | "POST_ONLY_WOULD_TAKE"
  | "DUPLICATE_ORDER_ID"
  | "UNKNOWN_ORDER"
  | "VOLUME_OVERFLOW";

/** What a command returns: `"OK"`, or the reason carried by its `rejected` event. */
export type CommandResult = "OK" | RejectReason;

/** Why an accepted order stopped short: IOC or market remainder, FOK not fully fillable, self-trade prevention. */
export type ExpireReason = "IOC" | "FOK" | "SELF_TRADE";

export interface AcceptedEvent {
  readonly type: "accepted";
  readonly seq: number;
  readonly orderId: number;
  readonly accountId: number;
  readonly side: Side;
  readonly orderType: OrderType;
  readonly timeInForce: TimeInForce;
  readonly price: number;
  readonly quantity: number;
  readonly quoteAmount: bigint;
}

export type CommandType = Command["type"];

export interface RejectedEvent {
  readonly type: "rejected";
  readonly seq: number;
  readonly command: CommandType;
  readonly orderId: number;
  readonly accountId: number;
  readonly reason: RejectReason;
}

/** A fill, always at the maker's price. `makerRemaining` is 0 when the maker left the book. */
export interface TradeEvent {
  readonly type: "trade";
  readonly seq: number;
  readonly makerOrderId: number;
  readonly makerAccountId: number;
  readonly takerOrderId: number;
  readonly takerAccountId: number;
  readonly takerSide: Side;
  readonly price: number;
  readonly quantity: number;
  readonly makerRemaining: number;
}

export interface CanceledEvent {
  readonly type: "canceled";
  readonly seq: number;
  readonly orderId: number;
  readonly accountId: number;
  /** Open quantity removed from the book. */
  readonly quantity: number;
}

/**
 * The order is done without filling completely. `quantity` is the unfilled lots; an order sized by quote
 * has no lot size, so it reports its unspent budget in `quoteAmount` instead (and 0 lots).
 */
export interface ExpiredEvent {
  readonly type: "expired";
  readonly seq: number;
  readonly orderId: number;
  readonly accountId: number;
  readonly quantity: number;
  readonly quoteAmount: bigint;
  readonly reason: ExpireReason;
}

export interface AmendedEvent {
  readonly type: "amended";
  readonly seq: number;
  readonly orderId: number;
  readonly accountId: number;
  readonly price: number;
  readonly quantity: number;
  /** False when the order went to the back of the queue. */
  readonly priorityKept: boolean;
}

/** Market data: the new total open quantity at one price and its number of orders (both 0 when the level is gone). */
export interface LevelEvent {
  readonly type: "level";
  readonly seq: number;
  readonly side: Side;
  readonly price: number;
  readonly quantity: number;
  readonly orderCount: number;
}

export type EngineEvent =
  | AcceptedEvent
  | RejectedEvent
  | TradeEvent
  | CanceledEvent
  | ExpiredEvent
  | AmendedEvent
  | LevelEvent;

/**
 * Where events go, in order: one method per event type, taking the fields of that event positionally
 * (see the event types above for their meaning). The engine allocates nothing to report an event; a sink
 * that wants objects builds them (`EventRecorder` does), and a journal can serialise the fields
 * straight into a buffer.
 */
export interface EventSink {
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
  ): void;
  rejected(seq: number, command: CommandType, orderId: number, accountId: number, reason: RejectReason): void;
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
  ): void;
  canceled(seq: number, orderId: number, accountId: number, quantity: number): void;
  expired(
    seq: number,
    orderId: number,
    accountId: number,
    quantity: number,
    quoteAmount: bigint,
    reason: ExpireReason,
  ): void;
  amended(
    seq: number,
    orderId: number,
    accountId: number,
    price: number,
    quantity: number,
    priorityKept: boolean,
  ): void;
  level(seq: number, side: Side, price: number, quantity: number, orderCount: number): void;
}
