import { failedPrecondition } from "@bourse/common";
import {
  type AmendOrderRequest,
  type AmendOrderResponse,
  AmendOrderResponseSchema,
} from "@bourse/proto/bourse/orders/v1/order_service_pb";
import { OPEN_STATES } from "@bourse/trading";
import { create } from "@bufbuild/protobuf";
import type { HandlerContext } from "@connectrpc/connect";
import { amendChange } from "../domain/amend-change.js";
import { positiveSteps } from "../domain/order-terms.js";
import { callerOrder } from "./arguments.js";
import type { OrdersDeps } from "./deps.js";
import { tradingMarket } from "./place-order.js";
import { fillToProto, orderToProto } from "./to-proto.js";

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
      ticks:
        request.price === undefined
          ? undefined
          : positiveSteps("price", request.price, market.tickSize, "tick size"),
      lots:
        request.quantity === undefined
          ? undefined
          : positiveSteps("quantity", request.quantity, market.lotSize, "lot size"),
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
