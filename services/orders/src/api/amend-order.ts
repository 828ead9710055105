import { failedPrecondition, invalidArgument } from "@bourse/common";
import { DecimalError, parseSteps } from "@bourse/common/money";
import {
  type AmendOrderRequest,
  type AmendOrderResponse,
  AmendOrderResponseSchema,
} from "@bourse/proto/bourse/orders/v1/order_service_pb";
import { OPEN_STATES } from "@bourse/trading";
import { create } from "@bufbuild/protobuf";
import type { HandlerContext } from "@connectrpc/connect";
import { amendChange } from "../domain/amend-change.js";
import { callerOrder } from "./arguments.js";
import type { OrdersDeps } from "./deps.js";
import { tradingMarket } from "./place-order.js";
import { fillToProto, orderToProto } from "./to-proto.js";

function stepsOf(field: string, value: string | undefined, step: string): bigint | undefined {
  if (value === undefined) return undefined;
  let count: bigint;
  try {
    count = parseSteps(value, step);
  } catch (error) {
    if (!(error instanceof DecimalError)) throw error;
    throw invalidArgument(
      error.code === "NOT_A_MULTIPLE"
        ? `${field} ${value} is not a multiple of ${step}`
        : `${field} must be a positive decimal string (${error.message})`,
    );
  }
  if (count <= 0n) throw invalidArgument(`${field} must be positive`);
  return count;
}

/**
 * AmendOrder: a new price and/or a new TOTAL quantity for one of the caller's resting limit orders. The
 * engine takes the new open quantity, so the total is converted here (see `amendChange`). A halted market's
 * book stays as it was, so amends wait for it to resume.
 */
export async function amendOrder(
  deps: OrdersDeps,
  request: AmendOrderRequest,
  context: HandlerContext,
): Promise<AmendOrderResponse> {
  const { userId } = await deps.auth.require(context);
  const order = await callerOrder(deps.orders, userId, request.target);
  if (!OPEN_STATES.has(order.status))
    throw failedPrecondition(`order ${order.orderId} is already ${order.status}`);
  if (order.type !== "limit") throw failedPrecondition("only a limit order can be amended");
  const market = await tradingMarket(deps, order.market);
  const change = amendChange(
    order,
    {
      ticks: stepsOf("price", request.price, market.tickSize),
      lots: stepsOf("quantity", request.quantity, market.lotSize),
    },
    market,
  );
  const { report } = await deps.matching.call(order.market, (api) =>
    api.amendOrder({ market: order.market, orderId: order.orderId, accountId: userId, ...change }),
  );
  const current = (await deps.orders.get(order.orderId)) ?? order;
  return create(AmendOrderResponseSchema, {
    order: orderToProto(current),
    trades: (report?.fills ?? []).map((fill) => fillToProto(fill, current)),
  });
}
