/**
 * The gateway's budget per client address, on a running gateway: it is charged before the token is
 * checked, so a flood of missing or bad tokens runs out of it; and the address is the connection's peer,
 * or the one a trusted proxy in front (TRUSTED_PROXY_HOPS) appended to `x-forwarded-for`. No upstream
 * runs: every call here is refused by the gateway itself or fails `unavailable`.
 */
import { rpcError } from "@bourse/common/testing";
import { InventoryService } from "@bourse/proto/bourse/inventory/v1/inventory_service_pb";
import { OrderService } from "@bourse/proto/bourse/orders/v1/order_service_pb";
import { Code, createClient } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-node";
import { afterEach, describe, expect, it } from "vitest";
import { createGateway, type RunningGateway } from "./gateway.js";

const running: RunningGateway[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((gateway) => gateway.stop()));
});

async function gatewayWithAddressBudget(points: number, overrides: Record<string, string> = {}) {
  const gateway = await createGateway({
    env: {
      BIND_HOST: "127.0.0.1",
      GATEWAY_HTTP_PORT: "0",
      GATEWAY_GRPC_PORT: "0",
      GATEWAY_ADMIN_PORT: "0",
      LOG_LEVEL: "silent",
      SERVICE_CREDENTIAL: "a-service-credential-of-32-characters",
      /* Nothing listens on port 1: a call that gets past the gateway's checks fails with unavailable. */
      INVENTORY_URL: "http://127.0.0.1:1",
      ORDERS_URL: "http://127.0.0.1:1",
      GATEWAY_RATE_POINTS_PER_ADDRESS: String(points),
      GATEWAY_RATE_WINDOW_SECONDS: "60",
      ...overrides,
    },
  });
  running.push(gateway);
  const transport = createConnectTransport({ baseUrl: gateway.httpUrl, httpVersion: "1.1" });
  return {
    orders: createClient(OrderService, transport),
    inventory: createClient(InventoryService, transport),
  };
}

describe("the gateway's budget per client address", () => {
  it("answers a flood of missing and bad tokens with resource_exhausted once the address's points are spent", async () => {
    const gateway = await gatewayWithAddressBudget(4);
    const tokens = [undefined, "Bearer not-a-token", "Bearer a.b.c", "Basic dXNlcjpwYXNz"];
    for (const authorization of tokens) {
      const call = authorization === undefined ? {} : { headers: { authorization } };
      expect((await rpcError(gateway.orders.getOrder({}, call))).code).toBe(Code.Unauthenticated);
    }
    const flooded = await rpcError(
      gateway.orders.getOrder({}, { headers: { authorization: "Bearer not-a-token" } }),
    );
    expect(flooded.code).toBe(Code.ResourceExhausted);
    const retryAfter = Number(flooded.metadata.get("retry-after"));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(flooded.metadata.get("x-ratelimit-limit")).toBe("4");
    expect(flooded.metadata.get("x-ratelimit-remaining")).toBe("0");
    // The address's budget is spent for the calls open to anyone too.
    expect((await rpcError(gateway.inventory.listMarkets({}))).code).toBe(Code.ResourceExhausted);
  });

  it("ignores x-forwarded-for without trusted proxies: the client is the connection's peer", async () => {
    const gateway = await gatewayWithAddressBudget(2);
    const from = (address: string) => ({ headers: { "x-forwarded-for": address } });
    expect((await rpcError(gateway.inventory.listMarkets({}, from("198.51.100.1")))).code).toBe(
      Code.Unavailable,
    );
    expect((await rpcError(gateway.inventory.listMarkets({}, from("198.51.100.2")))).code).toBe(
      Code.Unavailable,
    );
    expect((await rpcError(gateway.inventory.listMarkets({}, from("198.51.100.3")))).code).toBe(
      Code.ResourceExhausted,
    );
  });

  it("counts a client behind TRUSTED_PROXY_HOPS proxies by the address they appended", async () => {
    const gateway = await gatewayWithAddressBudget(2, { TRUSTED_PROXY_HOPS: "1" });
    const from = (forwardedFor: string) => ({ headers: { "x-forwarded-for": forwardedFor } });
    expect((await rpcError(gateway.inventory.listMarkets({}, from("198.51.100.1")))).code).toBe(
      Code.Unavailable,
    );
    // What the client wrote itself, left of what the proxy appended, changes nothing.
    expect((await rpcError(gateway.inventory.listMarkets({}, from("203.0.113.50, 198.51.100.1")))).code).toBe(
      Code.Unavailable,
    );
    expect((await rpcError(gateway.inventory.listMarkets({}, from("198.51.100.1")))).code).toBe(
      Code.ResourceExhausted,
    );
    expect((await rpcError(gateway.inventory.listMarkets({}, from("198.51.100.2")))).code).toBe(
      Code.Unavailable,
    );
  });
});
