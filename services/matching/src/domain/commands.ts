/**
 * Commands the engine accepts. Prices are integer ticks and quantities integer lots (safe integers);
 * quote amounts are bigint counts of notional units, one unit being 1 tick x 1 lot. Ids are numeric: the
 * service layer maps its own identifiers onto them, as exchange-core does with its long ids.
 */
export type Side = "buy" | "sell";
export type OrderType = "limit" | "market";
export type TimeInForce = "GTC" | "IOC" | "FOK";

/** What happens when a taker meets a resting order of its own account. The taker's mode decides. */
export type StpMode = "EXPIRE_TAKER" | "EXPIRE_MAKER" | "EXPIRE_BOTH";

export const DEFAULT_STP_MODE: StpMode = "EXPIRE_TAKER";

export interface PlaceCommand {
  readonly type: "place";
  /** Unique among live orders of the engine. */
  readonly orderId: number;
  readonly accountId: number;
  readonly side: Side;
  readonly orderType: OrderType;
  /** Market orders take IOC or FOK; GTC makes no sense for them and is refused. */
  readonly timeInForce: TimeInForce;
  /** Limit price in ticks. Ignored for market orders. */
  readonly price: number;
  /** Size in lots. Zero when a market buy is sized by `quoteAmount` instead. */
  readonly quantity: number;
  /** A market IOC buy's budget in notional units; absent or 0n for every other order. */
  readonly quoteAmount?: bigint;
  /** Only for GTC limit orders: refused if any part would trade on arrival. */
  readonly postOnly?: boolean;
  /** Defaults to {@link DEFAULT_STP_MODE}. */
  readonly stp?: StpMode;
}

export interface CancelCommand {
  readonly type: "cancel";
  readonly orderId: number;
  /** Must own the order; anyone else gets UNKNOWN_ORDER, as if it did not exist. */
  readonly accountId: number;
}

/**
 * Sets a resting order's price and open quantity. Keeping the price and not raising the quantity keeps
 * time priority; any other change sends the order to the back of the queue at its (new) price, where it
 * may trade as a taker first.
 */
export interface AmendCommand {
  readonly type: "amend";
  readonly orderId: number;
  readonly accountId: number;
  /** New limit price in ticks (the current one to keep it). */
  readonly price: number;
  /** New open quantity in lots, excluding what has already filled. */
  readonly quantity: number;
}

export type Command = PlaceCommand | CancelCommand | AmendCommand;
