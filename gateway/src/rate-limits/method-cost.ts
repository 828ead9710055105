import { OrderService } from "@bourse/proto/bourse/orders/v1/order_service_pb";
import { AuthService } from "@bourse/proto/bourse/users/v1/auth_service_pb";
import { BalanceService } from "@bourse/proto/bourse/users/v1/balance_service_pb";
import { publicServices } from "../public-services.js";

/** What a call that holds server resources for long, or changes money or the books, costs. */
const heavyCost = 5;
const readCost = 1;

/** Calls that change the books or move money: each costs the matching engine or the ledger work. */
const heavyMethods = new Set(
  [
    OrderService.method.placeOrder,
    OrderService.method.amendOrder,
    OrderService.method.cancelOrder,
    OrderService.method.cancelAllOrders,
    BalanceService.method.deposit,
    BalanceService.method.withdraw,
    AuthService.method.register,
  ].map((method) => `${method.parent.typeName}/${method.name}`),
);

/** Server streams hold a handler, a subscription and buffers for as long as the client likes. */
const streamingMethods = new Set(
  publicServices.flatMap(({ service }) =>
    service.methods
      .filter((method) => method.methodKind === "server_streaming")
      .map((method) => `${service.typeName}/${method.name}`),
  ),
);

/**
 * The points a call of the public API charges to its caller's budgets: order-book writes, money
 * movements, sign-ups and streams 5, everything else 1. `service` is the fully qualified name
 * (`bourse.orders.v1.OrderService`).
 */
export function methodCost(service: string, method: string): number {
  const key = `${service}/${method}`;
  return heavyMethods.has(key) || streamingMethods.has(key) ? heavyCost : readCost;
}
