import type { Key } from "@bourse/common/storage";

/**
 * The order as it is stored: created by the orders service (with its hold, in one transaction) and
 * advanced by the matching service (in the settlement transactions). docs/order-flow.md explains the flow;
 * docs/data-model.md lists the keys.
 *
 * Request fields are the decimal strings the client sent, canonicalised; progress fields are integer units
 * of the asset (10^-scale), so that no conversion is needed to add them up.
 */
export type OrderSide = "buy" | "sell";
export type OrderKind = "limit" | "market";
export type OrderTimeInForce = "GTC" | "IOC" | "FOK";
export type OrderStp = "EXPIRE_TAKER" | "EXPIRE_MAKER" | "EXPIRE_BOTH";
export type OrderState = "NEW" | "PARTIALLY_FILLED" | "FILLED" | "CANCELED" | "REJECTED" | "EXPIRED";
export type OrderRejectReason =
  | "POST_ONLY_WOULD_TAKE"
  | "MARKET_HALTED"
  | "PRICE_NOT_ON_TICK"
  | "QUANTITY_NOT_ON_LOT"
  | "BELOW_MIN_QUANTITY"
  | "BELOW_MIN_NOTIONAL";
export type OrderExpireReason =
  | "IOC_REMAINDER"
  | "FOK_UNFILLABLE"
  | "NO_LIQUIDITY"
  | "SELF_TRADE_PREVENTION"
  | "BUDGET_EXHAUSTED";

export const OPEN_STATES: ReadonlySet<OrderState> = new Set(["NEW", "PARTIALLY_FILLED"]);

export interface OrderRecord {
  /** ULID made by the orders service; ULID order is acceptance order. */
  readonly orderId: string;
  readonly accountId: string;
  /** Empty when the client gave none. */
  readonly clientOrderId: string;
  readonly market: string;
  readonly side: OrderSide;
  readonly type: OrderKind;
  readonly timeInForce: OrderTimeInForce;
  readonly postOnly: boolean;
  readonly stp: OrderStp;
  /**
   * Decimal limit price. Empty for a market order, except a market buy sized in base quantity, which runs
   * as an IOC at this protection price (see `holdFor` in order-amounts.ts).
   */
  readonly price: string;
  /** Decimal base quantity, as amended; empty for a market buy sized by quote. */
  readonly quantity: string;
  /** Decimal quote budget of a market buy sized by quote; empty otherwise. */
  readonly quoteAmount: string;
  readonly baseScale: number;
  readonly quoteScale: number;
  /** Maker and taker fee rates of the market when the order was placed, decimal fractions ("0.001"). */
  readonly makerFeeRate: string;
  readonly takerFeeRate: string;

  readonly status: OrderState;
  readonly rejectReason?: OrderRejectReason;
  readonly expireReason?: OrderExpireReason;
  /** Base units filled so far. */
  readonly filledBase: bigint;
  /** Quote units traded so far (sum of price × quantity of the fills). */
  readonly filledQuote: bigint;
  /** Quote units paid in fees so far. */
  readonly feeQuote: bigint;

  /** The ledger hold that reserves this order's funds: reference id = order id. */
  readonly holdAsset: string;
  /** Units held when the order was accepted. */
  readonly holdAmount: bigint;

  /**
   * Matching's sequence number at which the order joined the book at its current price: its time
   * priority. Absent while the order waits for matching (accepted but not yet processed, or a taker whose
   * sweep was cut between settlement transactions); recovery replays such orders in `orderId` order.
   */
  readonly bookSeq?: number;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/** Table key of an order. */
export const orderKey = (orderId: string): Key => ({ PK: `ORDER#${orderId}`, SK: "ORDER" });

/**
 * GSI1 lists one account's orders: partition per account, sort key `OPEN#<orderId>` while the order is
 * open and `DONE#<orderId>` once it is not, so open orders and history are each one range, newest last.
 */
export const accountOrdersPartition = (accountId: string): string => `ACCOUNT#${accountId}#ORDERS`;
export const accountOrdersSortKey = (record: Pick<OrderRecord, "orderId" | "status">): string =>
  `${OPEN_STATES.has(record.status) ? "OPEN" : "DONE"}#${record.orderId}`;

/**
 * GSI2 is the market's book, sparse: present only while the order is open. Sort key: the book sequence,
 * zero-padded to 16 digits, for orders in the book; `PENDING#<orderId>` for orders waiting for matching
 * (digits sort before `P`, so the book comes first, then the pending orders in acceptance order).
 */
export const marketBookPartition = (market: string): string => `BOOK#${market}`;
export const PENDING_PREFIX = "PENDING#";
export const marketBookSortKey = (record: Pick<OrderRecord, "orderId" | "bookSeq">): string =>
  record.bookSeq === undefined
    ? `${PENDING_PREFIX}${record.orderId}`
    : String(record.bookSeq).padStart(16, "0");

/**
 * Binds a client order id to the account's order. It stays while the order is open; a retry of the same
 * request returns the bound order, and once the order is done the id may be bound to a new order.
 */
export const clientOrderKey = (accountId: string, clientOrderId: string): Key => ({
  PK: `ACCOUNT#${accountId}#CLIENT_ORDER#${clientOrderId}`,
  SK: "CLIENT_ORDER",
});

/** One side's view of a trade, for ListMyTrades: one item per side, written with the settlement. */
export interface AccountTradeRecord {
  readonly accountId: string;
  readonly market: string;
  readonly tradeId: string;
  readonly orderId: string;
  readonly side: OrderSide;
  readonly maker: boolean;
  readonly price: string;
  /** Base units. */
  readonly quantity: bigint;
  /** Quote units, price × quantity. */
  readonly quoteAmount: bigint;
  /** Quote units. */
  readonly feeQuote: bigint;
  readonly baseScale: number;
  readonly quoteScale: number;
  readonly sequence: number;
  readonly executedAt: Date;
}

/**
 * An account's trades: table partition per account, sort key `<executedAt ISO>#<market>#<tradeId>` so a
 * query reads them in time order; GSI1 by order (`ORDER#<orderId>#TRADES`, sort key the trade sequence).
 */
export const accountTradeKey = (
  record: Pick<AccountTradeRecord, "accountId" | "market" | "tradeId" | "executedAt">,
): Key => ({
  PK: `ACCOUNT#${record.accountId}#TRADES`,
  SK: `${record.executedAt.toISOString()}#${record.market}#${record.tradeId}`,
});
export const orderTradesPartition = (orderId: string): string => `ORDER#${orderId}#TRADES`;

/** The market's book state item, updated by every matching transaction: the last sequence it persisted. */
export const marketBookKey = (market: string): Key => ({ PK: `MARKET#${market}`, SK: "BOOK" });
