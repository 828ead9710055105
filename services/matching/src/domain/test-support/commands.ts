import type { AmendCommand, CancelCommand, PlaceCommand, Side, StpMode, TimeInForce } from "../commands.js";

export interface OrderOptions {
  readonly account?: number;
  readonly tif?: TimeInForce;
  readonly postOnly?: boolean;
  readonly stp?: StpMode;
}

/** Account 1 unless told otherwise, so that tests opt in to self-trades. */
const DEFAULT_ACCOUNT = 1;

export function limit(
  orderId: number,
  side: Side,
  price: number,
  quantity: number,
  options: OrderOptions = {},
): PlaceCommand {
  return {
    type: "place",
    orderId,
    accountId: options.account ?? DEFAULT_ACCOUNT,
    side,
    orderType: "limit",
    timeInForce: options.tif ?? "GTC",
    price,
    quantity,
    postOnly: options.postOnly ?? false,
    ...(options.stp === undefined ? {} : { stp: options.stp }),
  };
}

export function market(
  orderId: number,
  side: Side,
  quantity: number,
  options: OrderOptions = {},
): PlaceCommand {
  return {
    type: "place",
    orderId,
    accountId: options.account ?? DEFAULT_ACCOUNT,
    side,
    orderType: "market",
    timeInForce: options.tif ?? "IOC",
    price: 0,
    quantity,
    ...(options.stp === undefined ? {} : { stp: options.stp }),
  };
}

/** A market buy sized by quote amount (notional units). */
export function marketBuyFor(orderId: number, quoteAmount: bigint, options: OrderOptions = {}): PlaceCommand {
  return { ...market(orderId, "buy", 0, options), quoteAmount };
}

export function cancel(orderId: number, account = DEFAULT_ACCOUNT): CancelCommand {
  return { type: "cancel", orderId, accountId: account };
}

export function amend(
  orderId: number,
  price: number,
  quantity: number,
  account = DEFAULT_ACCOUNT,
): AmendCommand {
  return { type: "amend", orderId, accountId: account, price, quantity };
}
