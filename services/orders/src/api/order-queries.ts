import { invalidArgument } from "@bourse/common";
import { ulidSchema } from "@bourse/common/identifiers";
import { pageTokenCodec } from "@bourse/common/page-token";
import { OrderStatus } from "@bourse/proto/bourse/orders/v1/order_enums_pb";
import {
  type GetOrderRequest,
  type GetOrderResponse,
  GetOrderResponseSchema,
  type ListMyTradesRequest,
  type ListMyTradesResponse,
  ListMyTradesResponseSchema,
  type ListOrdersRequest,
  type ListOrdersResponse,
  ListOrdersResponseSchema,
} from "@bourse/proto/bourse/orders/v1/order_service_pb";
import { OPEN_STATES, type OrderState } from "@bourse/trading";
import { create } from "@bufbuild/protobuf";
import type { HandlerContext } from "@connectrpc/connect";
import { z } from "zod";
import { type OrderRange, tradePageKey } from "../store/order-store.js";
import { callerOrder, marketArgument, orderIdArgument, pageSizeArgument } from "./arguments.js";
import type { OrdersDeps } from "./deps.js";
import { accountTradeToProto, orderToProto } from "./to-proto.js";

/** GetOrder: one of the caller's orders, by id or by client order id. */
export async function getOrder(
  deps: OrdersDeps,
  request: GetOrderRequest,
  context: HandlerContext,
): Promise<GetOrderResponse> {
  const { userId } = await deps.auth.require(context);
  return create(GetOrderResponseSchema, {
    order: orderToProto(await callerOrder(deps.orders, userId, request.target)),
  });
}

const ordersPage = pageTokenCodec<{ market: string; statuses: string }>({
  key: ulidSchema,
  otherFilter: "for other market or statuses filters",
});

function statusesArgument(statuses: readonly OrderStatus[]): Set<OrderState> | undefined {
  if (statuses.length === 0) return undefined;
  const chosen = new Set<OrderState>();
  for (const status of statuses) {
    const name = OrderStatus[status] as OrderState | "UNSPECIFIED" | undefined;
    if (name === undefined) throw invalidArgument(`statuses: ${status} is not an OrderStatus`);
    // UNSPECIFIED matches nothing, as the contract says.
    if (name !== "UNSPECIFIED") chosen.add(name);
  }
  return chosen;
}

/** ListOrders: the caller's orders, newest first; open ones and history are each one index range. */
export async function listOrders(
  deps: OrdersDeps,
  request: ListOrdersRequest,
  context: HandlerContext,
): Promise<ListOrdersResponse> {
  const { userId } = await deps.auth.require(context);
  const market = request.market === "" ? "" : marketArgument(request.market);
  const statuses = statusesArgument(request.statuses);
  const limit = pageSizeArgument(request.pageSize);
  const filter = { market, statuses: statuses ? [...statuses].sort().join(",") : "" };
  const before = request.pageToken === "" ? undefined : ordersPage.decode(request.pageToken, filter);
  const ranges: OrderRange[] = [];
  if (!statuses || [...statuses].some((status) => OPEN_STATES.has(status))) ranges.push("OPEN");
  if (!statuses || [...statuses].some((status) => !OPEN_STATES.has(status))) ranges.push("DONE");
  const page = await deps.orders.listOrders({
    accountId: userId,
    ranges,
    beforeOrderId: before,
    accept: (order) =>
      (market === "" || order.market === market) && (!statuses || statuses.has(order.status)),
    limit,
  });
  const last = page.items.at(-1);
  return create(ListOrdersResponseSchema, {
    orders: page.items.map(orderToProto),
    nextPageToken: page.more && last ? ordersPage.encode(filter, last.orderId) : "",
  });
}

const tradesPage = pageTokenCodec<{ market: string; orderId: string }>({
  key: z.string().min(1).max(200),
  otherFilter: "for other market or order_id filters",
});

/** ListMyTrades: the caller's fills, newest first, of one market or one of the caller's orders. */
export async function listMyTrades(
  deps: OrdersDeps,
  request: ListMyTradesRequest,
  context: HandlerContext,
): Promise<ListMyTradesResponse> {
  const { userId } = await deps.auth.require(context);
  const market = request.market === "" ? "" : marketArgument(request.market);
  const orderId = request.orderId === "" ? "" : orderIdArgument(request.orderId);
  const limit = pageSizeArgument(request.pageSize);
  const filter = { market, orderId };
  const before = request.pageToken === "" ? undefined : tradesPage.decode(request.pageToken, filter);
  // Another account's order id answers not_found, like an unknown one.
  if (orderId !== "") await callerOrder(deps.orders, userId, { case: "orderId", value: orderId });
  const page = await deps.orders.listTrades({
    accountId: userId,
    orderId: orderId === "" ? undefined : orderId,
    beforeKey: before,
    accept: (trade) => trade.accountId === userId && (market === "" || trade.market === market),
    limit,
  });
  const last = page.items.at(-1);
  return create(ListMyTradesResponseSchema, {
    trades: page.items.map(accountTradeToProto),
    nextPageToken: page.more && last ? tradesPage.encode(filter, tradePageKey(last, orderId !== "")) : "",
  });
}
