import { failedPrecondition } from "@bourse/common";
import type { ExecutionReport } from "@bourse/proto/bourse/matching/v1/execution_report_pb";
import { OrderStatus } from "@bourse/proto/bourse/orders/v1/order_enums_pb";
import {
  type CancelAllOrdersRequest,
  type CancelAllOrdersResponse,
  CancelAllOrdersResponseSchema,
  type CancelOrderRequest,
  type CancelOrderResponse,
  CancelOrderResponseSchema,
} from "@bourse/proto/bourse/orders/v1/order_service_pb";
import { OPEN_STATES, type OrderRecord } from "@bourse/trading";
import { create } from "@bufbuild/protobuf";
import { timestampDate } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError, type HandlerContext } from "@connectrpc/connect";
import { callerOrder, marketArgument } from "./arguments.js";
import type { OrdersDeps } from "./deps.js";
import { orderToProto } from "./to-proto.js";

/** Cancels one open order through its market's engine and returns it as the engine left it. */
async function cancel(deps: OrdersDeps, order: OrderRecord): Promise<OrderRecord> {
  const { report } = await deps.matching.call(order.market, (api) =>
    api.cancelOrder({ market: order.market, orderId: order.orderId, accountId: order.accountId }),
  );
  return canceledAsRead(order, report) ?? (await deps.orders.get(order.orderId)) ?? order;
}

/**
 * The canceled order without reading it back, when the engine's report shows it canceled just as it was
 * read: same price, nothing filled or amended since (remaining and fills only ever shrink and grow). The
 * engine answers after the close has committed, so the stored order is then the read one, closed: out of
 * the book, CANCELED, changed when the report says. Otherwise (a fill or an amend came first), read it.
 */
function canceledAsRead(order: OrderRecord, report: ExecutionReport | undefined): OrderRecord | undefined {
  if (report === undefined || report.status !== OrderStatus.CANCELED || report.updatedAt === undefined) {
    return undefined;
  }
  const asRead = orderToProto(order);
  const unchanged =
    report.price === order.price &&
    report.remainingQuantity === asRead.remainingQuantity &&
    report.filledQuantity === asRead.filledQuantity &&
    report.filledQuoteAmount === asRead.filledQuoteAmount &&
    report.fee === asRead.fee;
  if (!unchanged) return undefined;
  const { bookSeq: _left, ...rest } = order;
  return { ...rest, status: "CANCELED", updatedAt: timestampDate(report.updatedAt) };
}

/** CancelOrder: only the owner's; a CANCELED order comes back unchanged, other final ones are refused. */
export async function cancelOrder(
  deps: OrdersDeps,
  request: CancelOrderRequest,
  context: HandlerContext,
): Promise<CancelOrderResponse> {
  const { userId } = await deps.auth.require(context);
  const order = await callerOrder(deps.orders, userId, request.target);
  if (order.status === "CANCELED") return create(CancelOrderResponseSchema, { order: orderToProto(order) });
  if (!OPEN_STATES.has(order.status)) {
    throw failedPrecondition(`order ${order.orderId} is already ${order.status}`);
  }
  return create(CancelOrderResponseSchema, { order: orderToProto(await cancel(deps, order)) });
}

/**
 * CancelAllOrders: the caller's open orders (one market or all), each canceled as CancelOrder would. One
 * market's cancels run one after another (its engine runs them so anyway); markets run side by side.
 * An order that closed meanwhile is left out.
 */
export async function cancelAllOrders(
  deps: OrdersDeps,
  request: CancelAllOrdersRequest,
  context: HandlerContext,
): Promise<CancelAllOrdersResponse> {
  const { userId } = await deps.auth.require(context);
  const market = request.market === "" ? undefined : marketArgument(request.market);
  const open = await deps.orders.listOrders({
    accountId: userId,
    ranges: ["OPEN"],
    accept: (order) => market === undefined || order.market === market,
    limit: Number.MAX_SAFE_INTEGER,
  });
  const byMarket = new Map<string, OrderRecord[]>();
  for (const order of open.items.reverse()) {
    byMarket.set(order.market, [...(byMarket.get(order.market) ?? []), order]);
  }
  const canceled = await Promise.all(
    [...byMarket.values()].map(async (orders) => {
      const done: OrderRecord[] = [];
      for (const order of orders) {
        try {
          done.push(await cancel(deps, order));
        } catch (error) {
          if (ConnectError.from(error).code !== Code.FailedPrecondition) throw error;
        }
      }
      return done;
    }),
  );
  const orders = canceled
    .flat()
    .filter((order) => order.status === "CANCELED")
    .sort((a, b) => (a.orderId < b.orderId ? -1 : 1));
  return create(CancelAllOrdersResponseSchema, { orders: orders.map(orderToProto) });
}
