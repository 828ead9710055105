import { randomUUID } from "node:crypto";
import {
  OrderType,
  SelfTradePrevention,
  Side,
  TimeInForce,
} from "@bourse/proto/bourse/orders/v1/order_enums_pb";
import type { Order } from "@bourse/proto/bourse/orders/v1/order_pb";
import type { OrderService, PlaceOrderResponse } from "@bourse/proto/bourse/orders/v1/order_service_pb";
import type { BalanceService } from "@bourse/proto/bourse/users/v1/balance_service_pb";
import type { TestUser } from "@bourse/users/testing";
import type { Client } from "@connectrpc/connect";

/** An order as a test writes it; decimals are strings, as on the wire. */
export interface OrderRequest {
  readonly market: string;
  readonly side: "buy" | "sell";
  readonly type?: "limit" | "market";
  readonly timeInForce?: "GTC" | "IOC" | "FOK";
  readonly price?: string;
  readonly quantity?: string;
  readonly quoteAmount?: string;
  readonly postOnly?: boolean;
  readonly stp?: "EXPIRE_TAKER" | "EXPIRE_MAKER" | "EXPIRE_BOTH";
  readonly clientOrderId?: string;
}

/** One asset of an account, as GetBalances shows it, in canonical decimals ("10.5", not "10.50"). */
export interface Holding {
  readonly available: string;
  readonly held: string;
}

/** A registered, funded user and the public calls a test makes as that user. */
export interface Trader {
  readonly user: TestUser;
  /** The ledger account of the user: its user id. */
  readonly accountId: string;
  readonly call: { readonly headers: { authorization: string } };
  place(request: OrderRequest): Promise<PlaceOrderResponse>;
  cancel(orderId: string): Promise<Order>;
  order(orderId: string): Promise<Order>;
  /** Every asset the user has a balance in, "0" parts included. */
  balances(): Promise<Record<string, Holding>>;
}

/** A decimal without trailing fractional zeros, so that "500.00" and "500" compare equal. */
export function canonical(decimal: string): string {
  if (!decimal.includes(".")) return decimal;
  return decimal.replace(/0+$/, "").replace(/\.$/, "");
}

const sides = { buy: Side.BUY, sell: Side.SELL } as const;
const types = { limit: OrderType.LIMIT, market: OrderType.MARKET } as const;
const timesInForce = { GTC: TimeInForce.GTC, IOC: TimeInForce.IOC, FOK: TimeInForce.FOK } as const;
const stpModes = {
  EXPIRE_TAKER: SelfTradePrevention.EXPIRE_TAKER,
  EXPIRE_MAKER: SelfTradePrevention.EXPIRE_MAKER,
  EXPIRE_BOTH: SelfTradePrevention.EXPIRE_BOTH,
} as const;

export function placeOrderRequest(request: OrderRequest) {
  return {
    market: request.market,
    side: sides[request.side],
    type: types[request.type ?? "limit"],
    timeInForce: request.timeInForce ? timesInForce[request.timeInForce] : TimeInForce.UNSPECIFIED,
    postOnly: request.postOnly ?? false,
    selfTradePrevention: request.stp ? stpModes[request.stp] : SelfTradePrevention.UNSPECIFIED,
    price: request.price ?? "",
    size:
      request.quoteAmount !== undefined
        ? { case: "quoteAmount" as const, value: request.quoteAmount }
        : { case: "quantity" as const, value: request.quantity ?? "" },
    clientOrderId: request.clientOrderId ?? "",
  };
}

export function traderOf(
  user: TestUser,
  clients: { readonly orders: Client<typeof OrderService>; readonly balances: Client<typeof BalanceService> },
): Trader {
  const call = { headers: user.headers };
  const must = (order: Order | undefined): Order => {
    if (!order) throw new Error("the response carries no order");
    return order;
  };
  return {
    user,
    accountId: user.userId,
    call,
    place: (request) => clients.orders.placeOrder(placeOrderRequest(request), call),
    cancel: async (orderId) =>
      must((await clients.orders.cancelOrder({ target: { case: "orderId", value: orderId } }, call)).order),
    order: async (orderId) =>
      must((await clients.orders.getOrder({ target: { case: "orderId", value: orderId } }, call)).order),
    async balances() {
      const { balances } = await clients.balances.getBalances({}, call);
      return Object.fromEntries(
        balances.map((balance) => [
          balance.asset,
          { available: canonical(balance.available), held: canonical(balance.held) },
        ]),
      );
    },
  };
}

/** Credits each amount to the user through BalanceService.Deposit. */
export async function fund(
  balances: Client<typeof BalanceService>,
  user: TestUser,
  amounts: Record<string, string>,
): Promise<void> {
  for (const [asset, amount] of Object.entries(amounts)) {
    await balances.deposit({ asset, amount, idempotencyKey: randomUUID() }, { headers: user.headers });
  }
}
