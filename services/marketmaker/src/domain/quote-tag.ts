import type { QuoteSide } from "./quoted-market.js";

/**
 * The market maker names each of its orders after the ladder level it fills, in the order's
 * client_order_id: `mm-b3-<nonce>` is the third bid. The nonce is new for every placement, because
 * PlaceOrder treats a reused id with the same parameters as a retry and would return the old order.
 */
const TAG = /^mm-([bs])([1-9][0-9]{0,2})-[A-Za-z0-9_-]+$/;

export interface QuoteTag {
  readonly side: QuoteSide;
  readonly level: number;
}

export function quoteClientOrderId(tag: QuoteTag, nonce: string): string {
  return `mm-${tag.side === "buy" ? "b" : "s"}${tag.level}-${nonce}`;
}

export function parseQuoteTag(clientOrderId: string): QuoteTag | undefined {
  const match = TAG.exec(clientOrderId);
  if (!match) return undefined;
  return { side: match[1] === "b" ? "buy" : "sell", level: Number(match[2]) };
}
