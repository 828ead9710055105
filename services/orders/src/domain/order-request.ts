import type { OrderRequestFields } from "@bourse/trading";

/**
 * A PlaceOrder request in domain terms, every field present: the enums resolved (defaults applied) and
 * the decimals as the caller sent them. `checkOrderTerms` checks it against the market.
 */
export type OrderRequest = OrderRequestFields;

/** What a client order id may be: short, and safe in a storage key. */
export const CLIENT_ORDER_ID = /^[A-Za-z0-9_-]{1,36}$/;
