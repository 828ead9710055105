/**
 * The gateway speaks plain gRPC (issue #11): a client that knows nothing of Connect, @grpc/grpc-js with
 * the messages loaded by @grpc/proto-loader from the repository's .proto files, and `buf curl` with no
 * schema at all, which learns the API through the gateway's server reflection.
 */
import { randomUUID } from "node:crypto";
import { fileURLToPath } from "node:url";
import { bufCurl } from "@bourse/common/testing";
import { createGateway, type RunningGateway } from "@bourse/gateway";
import * as grpc from "@grpc/grpc-js";
import * as protoLoader from "@grpc/proto-loader";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type OrderFlowExchange, startOrderFlowExchange } from "../order-flow/support/exchange.js";
import { canonical } from "../order-flow/support/trader.js";
import { describeWithStoresAndLocks } from "../order-flow/support/with-stores-and-locks.js";
import { gatewayEnv } from "./support/gateway-env.js";

const market = "LTC-USD";

const publicServiceNames = [
  "bourse.users.v1.AuthService",
  "bourse.users.v1.UserService",
  "bourse.users.v1.BalanceService",
  "bourse.inventory.v1.InventoryService",
  "bourse.orders.v1.OrderService",
  "bourse.orders.v1.PortfolioService",
  "bourse.marketdata.v1.MarketDataService",
];

/* The messages as the .proto files define them, loaded the way any gRPC user of the exchange would. */
const definitions = grpc.loadPackageDefinition(
  protoLoader.loadSync(
    [
      "bourse/users/v1/auth_service.proto",
      "bourse/users/v1/balance_service.proto",
      "bourse/orders/v1/order_service.proto",
      "bourse/marketdata/v1/market_data_service.proto",
    ],
    {
      includeDirs: [fileURLToPath(new URL("../../proto/", import.meta.url))],
      longs: String,
      enums: String,
      defaults: true,
      oneofs: true,
    },
  ),
);

type Callback = (error: grpc.ServiceError | null, response: unknown) => void;
type UnaryMethod = (request: object, metadata: grpc.Metadata, callback: Callback) => void;
type StreamingMethod = (request: object, metadata: grpc.Metadata) => grpc.ClientReadableStream<unknown>;

/** The method of a grpc-js client, as loaded from its service definition. */
function methodOf<Method>(client: grpc.Client, method: string): Method {
  const found = (client as unknown as Record<string, unknown>)[method];
  if (typeof found !== "function") throw new Error(`the client has no method ${method}`);
  return found.bind(client) as Method;
}

/** A grpc-js client of the service with this fully qualified name. */
function grpcClient(serviceName: string, address: string): grpc.Client {
  const Service = serviceName
    .split(".")
    .reduce<unknown>((scope, part) => (scope as Record<string, unknown>)[part], definitions);
  return new (Service as grpc.ServiceClientConstructor)(address, grpc.credentials.createInsecure());
}

/** Calls a unary method the callback way grpc-js has, as a promise. */
function unary<Response>(
  client: grpc.Client,
  method: string,
  request: object,
  metadata = new grpc.Metadata(),
): Promise<Response> {
  const call = methodOf<UnaryMethod>(client, method);
  return new Promise((resolve, reject) => {
    call(request, metadata, (error, response) => (error ? reject(error) : resolve(response as Response)));
  });
}

/** The first message of a server stream, which is then cancelled. */
function firstMessage<Response>(
  client: grpc.Client,
  method: string,
  request: object,
  metadata = new grpc.Metadata(),
): Promise<Response> {
  const call = methodOf<StreamingMethod>(client, method);
  return new Promise((resolve, reject) => {
    const stream = call(request, metadata);
    // Once the first message is in, the CANCELLED status that follows the cancel rejects nothing.
    stream.on("error", reject);
    stream.on("end", () => reject(new Error(`${method} ended without a message`)));
    stream.once("data", (message) => {
      resolve(message as Response);
      stream.cancel();
    });
  });
}

function bearer(token: string): grpc.Metadata {
  const metadata = new grpc.Metadata();
  metadata.set("authorization", `Bearer ${token}`);
  return metadata;
}

interface SignedIn {
  tokens: { accessToken: string };
}

interface OrderResponse {
  order: { id: string; market: string; side: string; status: string; price: string; quantity: string };
}

describeWithStoresAndLocks("gateway with plain gRPC clients", (infrastructure) => {
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

  describe("@grpc/grpc-js with @grpc/proto-loader", () => {
    const clients: grpc.Client[] = [];
    const client = (serviceName: string) => {
      const created = grpcClient(serviceName, new URL(gateway.grpcUrl).host);
      clients.push(created);
      return created;
    };
    afterAll(() => {
      for (const each of clients) each.close();
    });

    it("registers, logs in, deposits, places a limit order, reads it back and streams the book", async () => {
      const auth = client("bourse.users.v1.AuthService");
      const balances = client("bourse.users.v1.BalanceService");
      const orders = client("bourse.orders.v1.OrderService");
      const marketData = client("bourse.marketdata.v1.MarketDataService");

      const credentials = { email: `grpc-js-${randomUUID()}@bourse.test`, password: `pass-${randomUUID()}` };
      await unary<SignedIn>(auth, "Register", { ...credentials, displayName: "grpc-js trader" });
      const { tokens } = await unary<SignedIn>(auth, "Login", credentials);
      const signedIn = bearer(tokens.accessToken);

      await unary(
        balances,
        "Deposit",
        { asset: "USD", amount: "1000", idempotencyKey: randomUUID() },
        signedIn,
      );
      const { balances: funds } = await unary<{ balances: { asset: string; available: string }[] }>(
        balances,
        "GetBalances",
        {},
        signedIn,
      );
      expect(funds.map((balance) => [balance.asset, canonical(balance.available)])).toEqual([
        ["USD", "1000"],
      ]);

      const placed = await unary<OrderResponse>(
        orders,
        "PlaceOrder",
        { market, side: "SIDE_BUY", type: "ORDER_TYPE_LIMIT", price: "90", quantity: "1" },
        signedIn,
      );
      const { order } = await unary<OrderResponse>(
        orders,
        "GetOrder",
        { orderId: placed.order.id },
        signedIn,
      );
      expect({ ...order, price: canonical(order.price), quantity: canonical(order.quantity) }).toMatchObject({
        id: placed.order.id,
        market,
        side: "SIDE_BUY",
        status: "ORDER_STATUS_NEW",
        price: "90",
        quantity: "1",
      });

      const first = await firstMessage<{
        event: string;
        snapshot: { market: string; bids: { price: string; quantity: string }[] };
      }>(marketData, "StreamOrderBook", { market });
      expect(first.event).toBe("snapshot");
      expect(first.snapshot.market).toBe(market);
      expect(
        first.snapshot.bids.map((level) => [canonical(level.price), canonical(level.quantity)]),
      ).toContainEqual(["90", "1"]);
    });

    it("refuses a call without a token with UNAUTHENTICATED", async () => {
      const orders = client("bourse.orders.v1.OrderService");
      const refused = await unary(orders, "ListOrders", {}).catch((error: grpc.ServiceError) => error);
      expect(refused).toMatchObject({ code: grpc.status.UNAUTHENTICATED });
    });
  });

  describe("buf curl through reflection", () => {
    it("lists the public services, health and reflection, and no internal service", async () => {
      const listed = (await bufCurl(["--list-services", gateway.grpcUrl])).trim().split("\n");
      expect(listed.sort()).toEqual(
        [...publicServiceNames, "grpc.health.v1.Health", "grpc.reflection.v1.ServerReflection"].sort(),
      );
    });

    it("calls a public method with no local schema", async () => {
      const answer = await bufCurl([
        "--data",
        "{}",
        `${gateway.grpcUrl}/bourse.inventory.v1.InventoryService/ListMarkets`,
      ]);
      const { markets } = JSON.parse(answer) as { markets: { symbol: string }[] };
      expect(markets.map((each) => each.symbol)).toContain(market);
    });
  });
});
