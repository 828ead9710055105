import { invalidArgument, notFound } from "@bourse/common";
import { MARKET_SYMBOL, ULID } from "@bourse/common/identifiers";
import type { OrderRecord } from "@bourse/trading";
import { CLIENT_ORDER_ID } from "../domain/order-request.js";
import type { OrderStore } from "../store/order-store.js";

/** A market symbol in canonical (upper) case; `invalid_argument` when it cannot name a market. */
export function marketArgument(symbol: string, field = "market"): string {
  const normalized = symbol.trim().toUpperCase();
  if (!MARKET_SYMBOL.test(normalized)) throw invalidArgument(`${field} must be BASE-QUOTE, e.g. BTC-USD`);
  return normalized;
}

export function clientOrderIdArgument(value: string): string {
  if (!CLIENT_ORDER_ID.test(value)) {
    throw invalidArgument("client_order_id must be 1 to 36 characters of [A-Za-z0-9_-]");
  }
  return value;
}

export function orderIdArgument(value: string): string {
  if (!ULID.test(value)) throw invalidArgument("order_id must be an order id (a ULID)");
  return value;
}

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 100;

export function pageSizeArgument(pageSize: number | undefined): number {
  if (pageSize === undefined) return DEFAULT_PAGE_SIZE;
  if (pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
    throw invalidArgument(`page_size must be from 1 to ${MAX_PAGE_SIZE}`);
  }
  return pageSize;
}

/** The `oneof target` of CancelOrder, AmendOrder and GetOrder. */
export type OrderTarget =
  | { readonly case: "orderId"; readonly value: string }
  | { readonly case: "clientOrderId"; readonly value: string }
  | { readonly case: undefined; readonly value?: undefined };

/**
 * The caller's order named by id or by client order id. Another account's order is `not_found`, exactly
 * like a missing one, so ids reveal nothing (DESIGN §3.7).
 */
export async function callerOrder(
  orders: OrderStore,
  accountId: string,
  target: OrderTarget,
): Promise<OrderRecord> {
  let orderId: string | undefined;
  if (target.case === "orderId") orderId = orderIdArgument(target.value);
  else if (target.case === "clientOrderId") {
    orderId = await orders.boundOrderId(accountId, clientOrderIdArgument(target.value));
  } else throw invalidArgument("set order_id or client_order_id");
  const order = orderId === undefined ? undefined : await orders.get(orderId);
  if (!order || order.accountId !== accountId) throw notFound("no such order");
  return order;
}
