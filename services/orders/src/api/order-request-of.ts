import { invalidArgument } from "@bourse/common";
import {
  OrderType,
  SelfTradePrevention,
  Side,
  TimeInForce,
} from "@bourse/proto/bourse/orders/v1/order_enums_pb";
import type { PlaceOrderRequest } from "@bourse/proto/bourse/orders/v1/order_service_pb";
import type { OrderStp, OrderTimeInForce } from "@bourse/trading";
import type { OrderRequest } from "../domain/order-request.js";
import { clientOrderIdArgument, marketArgument } from "./arguments.js";

const timesInForce: Partial<Record<TimeInForce, OrderTimeInForce>> = {
  [TimeInForce.GTC]: "GTC",
  [TimeInForce.IOC]: "IOC",
  [TimeInForce.FOK]: "FOK",
};

const selfTradeModes: Partial<Record<SelfTradePrevention, OrderStp>> = {
  [SelfTradePrevention.UNSPECIFIED]: "EXPIRE_TAKER",
  [SelfTradePrevention.EXPIRE_TAKER]: "EXPIRE_TAKER",
  [SelfTradePrevention.EXPIRE_MAKER]: "EXPIRE_MAKER",
  [SelfTradePrevention.EXPIRE_BOTH]: "EXPIRE_BOTH",
};

/** The request in domain terms, with the enum defaults applied; `invalid_argument` for unknown values. */
export function orderRequestOf(request: PlaceOrderRequest): OrderRequest {
  const market = marketArgument(request.market);
  const side = request.side === Side.BUY ? "buy" : request.side === Side.SELL ? "sell" : undefined;
  if (!side) throw invalidArgument("side must be SIDE_BUY or SIDE_SELL");
  const type =
    request.type === OrderType.LIMIT ? "limit" : request.type === OrderType.MARKET ? "market" : undefined;
  if (!type) throw invalidArgument("type must be ORDER_TYPE_LIMIT or ORDER_TYPE_MARKET");
  const timeInForce =
    request.timeInForce === TimeInForce.UNSPECIFIED
      ? type === "limit"
        ? "GTC"
        : "IOC"
      : timesInForce[request.timeInForce];
  if (!timeInForce) throw invalidArgument("time_in_force must be GTC, IOC or FOK");
  const stp = selfTradeModes[request.selfTradePrevention];
  if (!stp) throw invalidArgument("self_trade_prevention is not a known mode");
  return {
    market,
    side,
    type,
    timeInForce,
    postOnly: request.postOnly,
    stp,
    price: request.price,
    quantity: request.size.case === "quantity" ? request.size.value : "",
    quoteAmount: request.size.case === "quoteAmount" ? request.size.value : "",
    clientOrderId: request.clientOrderId === "" ? "" : clientOrderIdArgument(request.clientOrderId),
  };
}
