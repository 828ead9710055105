import type { OrderFlowExchange } from "../../order-flow/support/exchange.js";

/** A gateway in front of `exchange`: on free localhost ports, quiet, with `overrides` on top. */
export function gatewayEnv(
  exchange: OrderFlowExchange,
  overrides: Record<string, string> = {},
): Record<string, string> {
  return {
    BIND_HOST: "127.0.0.1",
    GATEWAY_HTTP_PORT: "0",
    GATEWAY_GRPC_PORT: "0",
    GATEWAY_ADMIN_PORT: "0",
    LOG_LEVEL: "silent",
    SERVICE_CREDENTIAL: exchange.serviceCredential,
    USERS_URL: exchange.users.users.rpcUrl,
    INVENTORY_URL: exchange.users.inventory.rpcUrl,
    ORDERS_URL: exchange.orders.rpcUrl,
    MATCHING_URL: exchange.matching?.rpcUrl ?? "",
    AUTH_JWKS_URL: `${exchange.users.users.adminUrl}/.well-known/jwks.json`,
    ...overrides,
  };
}
