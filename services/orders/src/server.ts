import { authenticatorFromEnv, createServiceClient, type ServiceDefinition } from "@bourse/common";
import { embeddedStateClientOf } from "@bourse/common/embedded-state";
import { createUlidFactory } from "@bourse/common/identifiers";
import { createStampFactory } from "@bourse/ledger";
import { InventoryService } from "@bourse/proto/bourse/inventory/v1/inventory_service_pb";
import { OrderService } from "@bourse/proto/bourse/orders/v1/order_service_pb";
import { PortfolioService } from "@bourse/proto/bourse/orders/v1/portfolio_service_pb";
import { acquireUserEventLog, servicePublisher } from "@bourse/trading/user-events";
import { portfolioHandlers } from "./api/get-portfolio.js";
import { orderHandlers } from "./api/order-handlers.js";
import { loadOrdersConfig } from "./config.js";
import { MatchingRoute } from "./matching/matching-route.js";
import { MarkPrices } from "./prices/mark-prices.js";
import { MarketRules } from "./store/market-rules.js";
import { OrderStore } from "./store/order-store.js";
import { PlacementCommitter } from "./store/placement-committer.js";

export interface OrdersOptions {
  /** The clock; tests pass their own. */
  readonly now?: () => Date;
}

/**
 * The orders service: OrderService (docs/order-flow.md). A new order is validated, held and stored in one
 * group-committed transaction, then handed to its market's matching engine: in-process when matching runs
 * here (`npm start`), otherwise over Connect to the market's owner. PortfolioService values the caller's
 * holdings (README, Portfolio).
 */
export function createOrdersService(options: OrdersOptions = {}): ServiceDefinition {
  const now = options.now ?? (() => new Date());
  return {
    name: "orders",
    setup(context) {
      const config = loadOrdersConfig(context.env);
      const newUlid = createUlidFactory();
      const userEvents = acquireUserEventLog(
        context.colocated,
        context.env.REDIS_URL,
        embeddedStateClientOf(context.name, context.env),
      );
      const deps = {
        auth: authenticatorFromEnv("orders", context.env),
        store: context.store,
        orders: new OrderStore(context.store),
        markets: new MarketRules(context.store),
        committer: new PlacementCommitter(context.store, {
          stamps: createStampFactory(now),
          maxItems: config.PLACE_BATCH_MAX_ITEMS,
          events: servicePublisher(userEvents.log, {
            logger: context.logger,
            registry: context.metrics.registry,
          }),
        }),
        matching: new MatchingRoute({
          store: context.store,
          colocated: context.colocated,
          fallbackUrl: config.MATCHING_URL,
          credential: config.SERVICE_CREDENTIAL,
          budgetMs: config.MATCHING_CALL_BUDGET_MS,
          metrics: context.metrics.rpc,
          logger: context.logger,
        }),
        marketBuyProtection: config.MARKET_BUY_PROTECTION,
        newOrderId: () => newUlid(now().getTime()),
        now,
        logger: context.logger,
        userEvents: userEvents.log,
        streamBuffer: config.USER_STREAM_BUFFER,
        shutdown: context.shutdownSignal,
      };
      const portfolioDeps = {
        auth: deps.auth,
        store: context.store,
        marks: new MarkPrices({
          store: context.store,
          inventory: createServiceClient(InventoryService, {
            baseUrl: config.INVENTORY_URL,
            caller: "orders",
            metrics: context.metrics.rpc,
            logger: context.logger,
          }),
          timeoutMs: config.PORTFOLIO_PRICE_TIMEOUT_MS,
          logger: context.logger,
        }),
        now,
      };
      return {
        register(router) {
          router.service(OrderService, orderHandlers(deps));
          router.service(PortfolioService, portfolioHandlers(portfolioDeps));
        },
        stop: () => userEvents.release(),
      };
    },
  };
}

export const ordersService: ServiceDefinition = createOrdersService();
