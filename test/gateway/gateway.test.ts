/**
 * The gateway in front of the real services (issue #11): users, inventory, orders and matching in this
 * process on one store, the gateway forwarding to them, and clients that know only the gateway, over
 * Connect on HTTP/1.1 and over gRPC on h2c. LTC-USD charges 0.1% to the maker and 0.2% to the taker, in
 * USD; the expected balances are worked out by hand below.
 */
import { randomUUID } from "node:crypto";
import { once } from "node:events";
import { createServer } from "node:net";
import { accessTokenAudience, defaultTokenIssuer } from "@bourse/common/auth";
import { rpcError } from "@bourse/common/testing";
import { createGateway, type RunningGateway } from "@bourse/gateway";
import { InventoryService } from "@bourse/proto/bourse/inventory/v1/inventory_service_pb";
import { MarketDataService } from "@bourse/proto/bourse/marketdata/v1/market_data_service_pb";
import { MatchingService } from "@bourse/proto/bourse/matching/v1/matching_service_pb";
import { OrderService } from "@bourse/proto/bourse/orders/v1/order_service_pb";
import { PortfolioService } from "@bourse/proto/bourse/orders/v1/portfolio_service_pb";
import { AuthService } from "@bourse/proto/bourse/users/v1/auth_service_pb";
import { BalanceService } from "@bourse/proto/bourse/users/v1/balance_service_pb";
import { LedgerService } from "@bourse/proto/bourse/users/v1/ledger_service_pb";
import { Code, createClient, type Transport } from "@connectrpc/connect";
import { createConnectTransport, createGrpcTransport } from "@connectrpc/connect-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type OrderFlowExchange, startOrderFlowExchange } from "../order-flow/support/exchange.js";
import { canonical, placeOrderRequest } from "../order-flow/support/trader.js";
import { describeWithStoresAndLocks } from "../order-flow/support/with-stores-and-locks.js";
import { gatewayEnv } from "./support/gateway-env.js";

const market = "LTC-USD";

/** The public clients a user of the exchange has, all through one transport to the gateway. */
function publicClients(transport: Transport) {
  return {
    auth: createClient(AuthService, transport),
    balances: createClient(BalanceService, transport),
    inventory: createClient(InventoryService, transport),
    orders: createClient(OrderService, transport),
    portfolio: createClient(PortfolioService, transport),
    marketData: createClient(MarketDataService, transport),
  };
}

type PublicClients = ReturnType<typeof publicClients>;

/** Registers through the gateway and deposits `funds`; returns the call options carrying the token. */
async function registeredTrader(clients: PublicClients, funds: Record<string, string>) {
  const registered = await clients.auth.register({
    email: `gateway-${randomUUID()}@bourse.test`,
    password: `pass-${randomUUID()}`,
    displayName: "Gateway trader",
  });
  const call = { headers: { authorization: `Bearer ${registered.tokens?.accessToken ?? ""}` } };
  for (const [asset, amount] of Object.entries(funds)) {
    await clients.balances.deposit({ asset, amount, idempotencyKey: randomUUID() }, call);
  }
  return call;
}

async function balancesOf(clients: PublicClients, call: { headers: Record<string, string> }) {
  const { balances } = await clients.balances.getBalances({}, call);
  return Object.fromEntries(
    balances.map((balance) => [
      balance.asset,
      { available: canonical(balance.available), held: canonical(balance.held) },
    ]),
  );
}

/** A compact JWS with `alg: none`: a valid-looking admin token that no key signed. */
function unsignedToken(): string {
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const now = Math.floor(Date.now() / 1000);
  const claims = {
    sub: randomUUID(),
    role: "admin",
    iss: defaultTokenIssuer,
    aud: accessTokenAudience,
    iat: now,
    exp: now + 600,
  };
  return `${encode({ alg: "none", typ: "JWT" })}.${encode(claims)}.`;
}

/** A localhost port that nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer().listen(0, "127.0.0.1");
  await once(server, "listening");
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  return typeof address === "object" && address ? address.port : 0;
}

describeWithStoresAndLocks("gateway", (infrastructure) => {
  let exchange: OrderFlowExchange;
  let gateway: RunningGateway;
  beforeAll(async () => {
    const { store, locks } = infrastructure();
    exchange = await startOrderFlowExchange(store, locks, { markets: [market] });
    gateway = await createGateway({ env: gatewayEnv(exchange) });
  });
  afterAll(async () => {
    await gateway?.stop();
    await exchange?.stop();
  });

  const transports: Record<string, () => Transport> = {
    "Connect over HTTP/1.1": () => createConnectTransport({ baseUrl: gateway.httpUrl, httpVersion: "1.1" }),
    "gRPC over h2c": () => createGrpcTransport({ baseUrl: gateway.grpcUrl }),
  };

  for (const [name, transport] of Object.entries(transports)) {
    describe(name, () => {
      it("registers, deposits, crosses two orders seen on StreamTrades, cancels and values the portfolio", async () => {
        const clients = publicClients(transport());
        const seller = await registeredTrader(clients, { LTC: "10" });
        const buyer = await registeredTrader(clients, { USD: "1000" });

        const streaming = new AbortController();
        const trades = clients.marketData.streamTrades({ market }, { signal: streaming.signal });
        const firstTrade = (async () => {
          for await (const response of trades) {
            const trade = response.trades[0];
            if (trade) return trade;
          }
          throw new Error("StreamTrades ended without a trade");
        })();

        const ask = await clients.orders.placeOrder(
          placeOrderRequest({ market, side: "sell", price: "100", quantity: "2" }),
          seller,
        );
        const bid = await clients.orders.placeOrder(
          placeOrderRequest({ market, side: "buy", price: "100", quantity: "2" }),
          buyer,
        );
        expect(bid.order?.filledQuantity).toBe("2");
        const trade = await firstTrade;
        streaming.abort();
        expect({ price: trade.price, quantity: trade.quantity }).toEqual({ price: "100", quantity: "2" });

        // A resting ask holds 1 LTC until it is cancelled.
        const resting = await clients.orders.placeOrder(
          placeOrderRequest({ market, side: "sell", price: "150", quantity: "1" }),
          seller,
        );
        expect((await balancesOf(clients, seller)).LTC).toEqual({ available: "7", held: "1" });
        const orderId = resting.order?.id ?? "";
        await clients.orders.cancelOrder({ target: { case: "orderId", value: orderId } }, seller);
        expect(ask.order?.id).not.toBe(orderId);

        // Seller: 10 − 2 LTC; 200 USD − maker fee 0.2. Buyer: 1000 − 200 − taker fee 0.4 USD; 2 LTC.
        expect(await balancesOf(clients, seller)).toEqual({
          LTC: { available: "8", held: "0" },
          USD: { available: "199.8", held: "0" },
        });
        expect(await balancesOf(clients, buyer)).toEqual({
          LTC: { available: "2", held: "0" },
          USD: { available: "799.6", held: "0" },
        });
        const portfolio = await clients.portfolio.getPortfolio({}, buyer);
        expect(
          Object.fromEntries(
            portfolio.holdings.map((holding) => [holding.asset, canonical(holding.quantity)]),
          ),
        ).toEqual({ LTC: "2", USD: "799.6" });
      });

      it("refuses calls without a valid token, and admin methods to a customer", async () => {
        const clients = publicClients(transport());
        const noToken = await rpcError(clients.orders.listOrders({}));
        expect(noToken.code).toBe(Code.Unauthenticated);
        const garbage = await rpcError(
          clients.balances.getBalances({}, { headers: { authorization: "Bearer not.a.token" } }),
        );
        expect(garbage.code).toBe(Code.Unauthenticated);
        const unsigned = await rpcError(
          clients.inventory.createAsset(
            { asset: { symbol: "NONE", name: "Unsigned", precision: 2, active: true } },
            { headers: { authorization: `Bearer ${unsignedToken()}` } },
          ),
        );
        expect(unsigned.code).toBe(Code.Unauthenticated);

        const customer = await registeredTrader(clients, {});
        const denied = await rpcError(
          clients.inventory.setMarketStatus({ symbol: market, reason: "not mine to halt" }, customer),
        );
        expect(denied.code).toBe(Code.PermissionDenied);
        // Open methods need no token.
        expect((await clients.inventory.getMarket({ symbol: market })).market?.symbol).toBe(market);
      });

      it("has no route to the internal services", async () => {
        const ledger = createClient(LedgerService, transport());
        const matching = createClient(MatchingService, transport());
        expect((await rpcError(ledger.hold({}))).code).toBe(Code.Unimplemented);
        expect((await rpcError(matching.getBookStatus({ market }))).code).toBe(Code.Unimplemented);
      });

      it("refuses a message over 1 MiB with resource_exhausted", async () => {
        const clients = publicClients(transport());
        const oversized = await rpcError(
          clients.auth.login({ email: "big@bourse.test", password: "x".repeat(1024 * 1024 + 1) }),
        );
        expect(oversized.code).toBe(Code.ResourceExhausted);
      });
    });
  }

  it("answers malformed JSON with invalid_argument", async () => {
    const response = await fetch(`${gateway.httpUrl}/${AuthService.typeName}/Login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{ not json",
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { code: string }).code).toBe("invalid_argument");
  });

  it("throttles Login attempts per email with retry-after", async () => {
    const strict = await createGateway({
      env: gatewayEnv(exchange, { GATEWAY_LOGIN_ATTEMPTS_PER_EMAIL: "1" }),
    });
    try {
      const auth = createClient(
        AuthService,
        createConnectTransport({ baseUrl: strict.httpUrl, httpVersion: "1.1" }),
      );
      const attempt = { email: `nobody-${randomUUID()}@bourse.test`, password: "wrong-password-1" };
      expect((await rpcError(auth.login(attempt))).code).toBe(Code.Unauthenticated);
      const throttled = await rpcError(auth.login(attempt));
      expect(throttled.code).toBe(Code.ResourceExhausted);
      expect(Number(throttled.metadata.get("retry-after"))).toBeGreaterThan(0);
    } finally {
      await strict.stop();
    }
  });

  it("answers unavailable when an upstream is down, after refusing what it can refuse itself", async () => {
    const stranded = await createGateway({
      env: gatewayEnv(exchange, {
        ORDERS_URL: `http://127.0.0.1:${await closedPort()}`,
        INVENTORY_URL: `http://127.0.0.1:${await closedPort()}`,
      }),
    });
    try {
      const clients = publicClients(
        createConnectTransport({ baseUrl: stranded.httpUrl, httpVersion: "1.1" }),
      );
      const customer = await registeredTrader(clients, {});
      // A deadline far beyond the connect timeout: the refusal must come from the gateway, not the clock.
      const down = await rpcError(clients.orders.listOrders({}, { ...customer, timeoutMs: 60_000 }));
      expect(down.code).toBe(Code.Unavailable);
      expect(down.rawMessage).not.toContain("127.0.0.1");
      // With the upstreams down, these refusals can only be the gateway's own.
      expect((await rpcError(clients.orders.listOrders({}))).code).toBe(Code.Unauthenticated);
      const denied = await rpcError(
        clients.inventory.setMarketStatus({ symbol: market, reason: "not mine to halt" }, customer),
      );
      expect(denied.code).toBe(Code.PermissionDenied);
      expect((await rpcError(clients.inventory.listMarkets({}))).code).toBe(Code.Unavailable);
    } finally {
      await stranded.stop();
    }
  });
});
