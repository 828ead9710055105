import { InventoryService } from "@bourse/proto/bourse/inventory/v1/inventory_service_pb";
import { MarketDataService } from "@bourse/proto/bourse/marketdata/v1/market_data_service_pb";
import { OrderService } from "@bourse/proto/bourse/orders/v1/order_service_pb";
import { PortfolioService } from "@bourse/proto/bourse/orders/v1/portfolio_service_pb";
import { AuthService } from "@bourse/proto/bourse/users/v1/auth_service_pb";
import { BalanceService } from "@bourse/proto/bourse/users/v1/balance_service_pb";
import { UserService } from "@bourse/proto/bourse/users/v1/user_service_pb";
import { Health } from "@bourse/proto/grpc/health/v1/health_pb";
import { ServerReflection } from "@bourse/proto/grpc/reflection/v1/reflection_pb";
import type { DescService } from "@bufbuild/protobuf";

/** The services that run behind the gateway; each public service is forwarded to one of them. */
export type Upstream = "users" | "inventory" | "orders" | "matching";

/**
 * The public API (DESIGN §2) and where each service runs. LedgerService and MatchingService are
 * internal: they are not listed, so the gateway has no route for them and answers as for an unknown
 * method: HTTP 404, which Connect and gRPC clients read as gRPC status 12.
 */
export const publicServices: readonly { readonly service: DescService; readonly upstream: Upstream }[] = [
  { service: AuthService, upstream: "users" },
  { service: UserService, upstream: "users" },
  { service: BalanceService, upstream: "users" },
  { service: InventoryService, upstream: "inventory" },
  { service: OrderService, upstream: "orders" },
  { service: PortfolioService, upstream: "orders" },
  { service: MarketDataService, upstream: "matching" },
];

/** Who may call a method: anyone, any signed-in user, or an admin. */
export type Access = "anonymous" | "user" | "admin";

/* Health tells only whether the gateway serves, and reflection describes only the public API. */
const anonymousServices = new Set([
  AuthService.typeName,
  MarketDataService.typeName,
  Health.typeName,
  ServerReflection.typeName,
]);

const anonymousMethods = new Set(
  ["ListAssets", "GetAsset", "ListMarkets", "GetMarket", "GetPrices", "StreamPrices"].map(
    (method) => `${InventoryService.typeName}/${method}`,
  ),
);

const adminMethods = new Set(
  ["CreateAsset", "UpdateAsset", "SetMarketStatus"].map((method) => `${InventoryService.typeName}/${method}`),
);

/** The access a method of the public API requires; anything not listed as open needs a signed-in user. */
export function accessOf(serviceTypeName: string, methodName: string): Access {
  const method = `${serviceTypeName}/${methodName}`;
  if (anonymousServices.has(serviceTypeName) || anonymousMethods.has(method)) return "anonymous";
  if (adminMethods.has(method)) return "admin";
  return "user";
}
