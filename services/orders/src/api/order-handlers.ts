import type { OrderService } from "@bourse/proto/bourse/orders/v1/order_service_pb";
import type { ServiceImpl } from "@connectrpc/connect";
import { amendOrder } from "./amend-order.js";
import { cancelAllOrders, cancelOrder } from "./cancel-orders.js";
import type { OrdersDeps } from "./deps.js";
import { getOrder, listMyTrades, listOrders } from "./order-queries.js";
import { placeOrder } from "./place-order.js";
import { streamMyOrders } from "./stream-my-orders.js";

/** OrderService: every RPC authenticates the caller and acts only on the caller's own orders. */
export function orderHandlers(deps: OrdersDeps): Partial<ServiceImpl<typeof OrderService>> {
  return {
    placeOrder: (request, context) => placeOrder(deps, request, context),
    amendOrder: (request, context) => amendOrder(deps, request, context),
    cancelOrder: (request, context) => cancelOrder(deps, request, context),
    cancelAllOrders: (request, context) => cancelAllOrders(deps, request, context),
    getOrder: (request, context) => getOrder(deps, request, context),
    listOrders: (request, context) => listOrders(deps, request, context),
    listMyTrades: (request, context) => listMyTrades(deps, request, context),
    streamMyOrders: (request, context) => streamMyOrders(deps, request, context),
  };
}
