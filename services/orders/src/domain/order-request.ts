import type { OrderKind, OrderSide, OrderStp, OrderTimeInForce } from "@bourse/trading";

/**
 * A PlaceOrder request in domain terms, every field present: the enums resolved (defaults applied) and
 * the decimals as the caller sent them. `checkOrderTerms` checks it against the market.
 */
export interface OrderRequest {
  readonly market: string;
  readonly side: OrderSide;
  readonly type: OrderKind;
  readonly timeInForce: OrderTimeInForce;
  readonly postOnly: boolean;
  readonly stp: OrderStp;
  /** Empty for a market order. */
  readonly price: string;
  /** Exactly one of quantity and quoteAmount is non-empty. */
  readonly quantity: string;
  readonly quoteAmount: string;
  /** Empty when the caller gave none. */
  readonly clientOrderId: string;
}

/** What a client order id may be: short, and safe in a storage key. */
export const CLIENT_ORDER_ID = /^[A-Za-z0-9_-]{1,36}$/;
