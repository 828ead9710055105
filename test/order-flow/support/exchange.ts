import { randomBytes } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { ColocatedServices, createServiceClient, type RunningService, startService } from "@bourse/common";
import { serviceCredentialInterceptor } from "@bourse/common/auth";
import type { LockService } from "@bourse/common/locks";
import type { Store } from "@bourse/common/storage";
import { matchingService } from "@bourse/matching";
import { ordersService } from "@bourse/orders";
import { InventoryService } from "@bourse/proto/bourse/inventory/v1/inventory_service_pb";
import { MarketStatus } from "@bourse/proto/bourse/inventory/v1/market_pb";
import { BookState, MatchingService } from "@bourse/proto/bourse/matching/v1/matching_service_pb";
import { OrderService } from "@bourse/proto/bourse/orders/v1/order_service_pb";
import { startUsers, type UsersHarness } from "@bourse/users/testing";
import type { Client } from "@connectrpc/connect";
import { fund, type Trader, traderOf } from "./trader.js";

/**
 * Users, inventory, orders and (unless matching runs elsewhere) matching, started in this process on one
 * store and one lock service as `npm start` runs them, with the clients a test calls them through.
 */
export interface OrderFlowExchange {
  readonly store: Store;
  readonly users: UsersHarness;
  readonly orders: RunningService;
  /** Absent when matching runs in another process. */
  readonly matching?: RunningService;
  readonly orderClient: Client<typeof OrderService>;
  readonly inventoryClient: Client<typeof InventoryService>;
  /** SERVICE_CREDENTIAL shared by every service of this exchange, matching processes included. */
  readonly serviceCredential: string;
  /** The accounts of every trader made so far, for the invariant checks. */
  readonly accountIds: readonly string[];
  /** Registers a user (Register, a real access token) and deposits `funds` (BalanceService.Deposit). */
  trader(funds: Record<string, string>): Promise<Trader>;
  /** Halts or resumes a market as the start-up admin (InventoryService.SetMarketStatus). */
  setMarketStatus(market: string, status: "active" | "halted"): Promise<void>;
  stop(): Promise<void>;
}

export interface ExchangeOptions {
  /** The markets matching runs (MATCHING_MARKETS); the exchange starts once it owns them all. */
  readonly markets: readonly string[];
  /** False when the test runs matching itself, in other processes. */
  readonly inProcessMatching?: boolean;
  /** Variables for the orders and matching services beyond the ones the exchange sets. */
  readonly env?: Record<string, string>;
}

const quiet = { BIND_HOST: "127.0.0.1", RPC_PORT: "0", ADMIN_PORT: "0", LOG_LEVEL: "silent" };

/** A MatchingService client presenting the service credential, as orders and the market maker call it. */
export function matchingClient(url: string, serviceCredential: string): Client<typeof MatchingService> {
  return createServiceClient(MatchingService, {
    baseUrl: url,
    caller: "test",
    interceptors: [serviceCredentialInterceptor(serviceCredential)],
  });
}

/** Resolves once the matching instance behind `client` owns every market and has rebuilt its book. */
export async function waitUntilOwned(
  client: Client<typeof MatchingService>,
  markets: readonly string[],
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (const market of markets) {
    for (;;) {
      const status = await client.getBookStatus({ market }).catch(() => undefined);
      if (status?.state === BookState.ACTIVE || status?.state === BookState.HALTED) break;
      if (Date.now() > deadline) {
        throw new Error(`matching did not take ${market} within ${timeoutMs} ms (state ${status?.state})`);
      }
      await sleep(50);
    }
  }
}

export async function startOrderFlowExchange(
  store: Store,
  locks: LockService,
  options: ExchangeOptions,
): Promise<OrderFlowExchange> {
  const adminEmail = "admin@bourse.test";
  const adminPassword = `admin-${randomBytes(12).toString("base64url")}`;
  const users = await startUsers(store, {
    locks,
    env: { ADMIN_EMAIL: adminEmail, ADMIN_PASSWORD: adminPassword },
  });
  const colocated = new ColocatedServices();
  const env = {
    ...quiet,
    SERVICE_CREDENTIAL: users.serviceCredential,
    AUTH_JWKS_URL: `${users.users.adminUrl}/.well-known/jwks.json`,
    USERS_URL: users.users.rpcUrl,
    INVENTORY_URL: users.inventory.rpcUrl,
    MATCHING_MARKETS: options.markets.join(","),
    MATCHING_CLAIM_STAGGER_MS: "0",
    ...options.env,
  };
  const started: RunningService[] = [];
  try {
    const orders = await startService(ordersService, { env, store, locks, colocated });
    started.push(orders);
    let matching: RunningService | undefined;
    if (options.inProcessMatching ?? true) {
      matching = await startService(matchingService, { env, store, locks, colocated });
      started.push(matching);
      await waitUntilOwned(matchingClient(matching.rpcUrl, users.serviceCredential), options.markets);
    }
    const orderClient = createServiceClient(OrderService, { baseUrl: orders.rpcUrl, caller: "test" });
    const inventoryClient = createServiceClient(InventoryService, {
      baseUrl: users.inventory.rpcUrl,
      caller: "test",
    });
    const login = await users.auth.login({ email: adminEmail, password: adminPassword });
    const asAdmin = { headers: { authorization: `Bearer ${login.tokens?.accessToken ?? ""}` } };
    const accountIds: string[] = [];
    return {
      store,
      users,
      orders,
      matching,
      orderClient,
      inventoryClient,
      serviceCredential: users.serviceCredential,
      accountIds,
      async trader(funds) {
        const user = await users.signUp();
        accountIds.push(user.userId);
        await fund(users.balances, user, funds);
        return traderOf(user, { orders: orderClient, balances: users.balances });
      },
      async setMarketStatus(market, status) {
        await inventoryClient.setMarketStatus(
          status === "halted"
            ? { symbol: market, status: MarketStatus.HALTED, reason: "order-flow test halt" }
            : { symbol: market, status: MarketStatus.ACTIVE, reason: "" },
          asAdmin,
        );
      },
      async stop() {
        for (const service of started.reverse()) await service.stop();
        await users.stop();
      },
    };
  } catch (error) {
    for (const service of started.reverse()) await service.stop();
    await users.stop();
    throw error;
  }
}
