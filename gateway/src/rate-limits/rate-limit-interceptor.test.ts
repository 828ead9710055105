import { randomUUID } from "node:crypto";
import { createLogger } from "@bourse/common";
import { rpcError } from "@bourse/common/testing";
import { OrderService } from "@bourse/proto/bourse/orders/v1/order_service_pb";
import { AuthService } from "@bourse/proto/bourse/users/v1/auth_service_pb";
import {
  Code,
  ConnectError,
  createClient,
  createContextKey,
  createRouterTransport,
  type Interceptor,
} from "@connectrpc/connect";
import { describe, expect, it } from "vitest";
import { createGatewayRateLimiter } from "./gateway-rate-limiter.js";
import { loginEmailOf, rateLimitInterceptors } from "./rate-limit-interceptor.js";

const userKey = createContextKey<string | undefined>(undefined);

/** Stands in for the gateway's auth interceptor: the test's headers say who calls, or that the token is bad. */
const authFromHeaders: Interceptor = (next) => (request) => {
  if (request.header.get("x-test-token") === "bad") {
    throw new ConnectError("bad token", Code.Unauthenticated);
  }
  request.contextValues.set(userKey, request.header.get("x-test-user") ?? undefined);
  return next(request);
};

function gatewayWithLimits(env: Record<string, string>) {
  const handled: string[] = [];
  const limiter = createGatewayRateLimiter(
    { GATEWAY_RATE_WINDOW_SECONDS: "60", GATEWAY_LOGIN_WINDOW_SECONDS: "60", ...env },
    { logger: createLogger("test", { level: "silent" }) },
  );
  const rateLimits = rateLimitInterceptors(limiter, {
    clientAddress: (request) => request.header.get("x-test-peer") ?? "192.0.2.1",
    userId: (context) => context.get(userKey),
    emailOfLogin: loginEmailOf,
  });
  const transport = createRouterTransport(
    (router) => {
      router.service(OrderService, {
        getOrder: () => {
          handled.push("GetOrder");
          return {};
        },
        placeOrder: () => {
          handled.push("PlaceOrder");
          return {};
        },
      });
      router.service(AuthService, {
        login: () => {
          handled.push("Login");
          return {};
        },
      });
    },
    { router: { interceptors: [rateLimits.perAddress, authFromHeaders, rateLimits.perUser] } },
  );
  return {
    orders: createClient(OrderService, transport),
    auth: createClient(AuthService, transport),
    handled,
  };
}

const from = (peer: string, user?: string) => ({
  headers: { "x-test-peer": peer, ...(user === undefined ? {} : { "x-test-user": user }) },
});

describe("rate-limit interceptor", () => {
  it("answers a burst past the address budget with resource_exhausted, Retry-After and the limit headers, without forwarding it", async () => {
    const gateway = gatewayWithLimits({ GATEWAY_RATE_POINTS_PER_ADDRESS: "3" });
    const remaining: (string | null)[] = [];
    for (let call = 0; call < 3; call += 1) {
      await gateway.orders.getOrder(
        {},
        {
          ...from("203.0.113.5"),
          onHeader: (header) => {
            expect(header.get("x-ratelimit-limit")).toBe("3");
            remaining.push(header.get("x-ratelimit-remaining"));
          },
        },
      );
    }
    expect(remaining).toEqual(["2", "1", "0"]);

    const refused = await rpcError(gateway.orders.getOrder({}, from("203.0.113.5")));
    expect(refused.code).toBe(Code.ResourceExhausted);
    const retryAfter = Number(refused.metadata.get("retry-after"));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(refused.metadata.get("x-ratelimit-limit")).toBe("3");
    expect(refused.metadata.get("x-ratelimit-remaining")).toBe("0");
    expect(gateway.handled).toEqual(["GetOrder", "GetOrder", "GetOrder"]);

    await expect(gateway.orders.getOrder({}, from("203.0.113.6"))).resolves.toBeDefined();
  });

  it("charges calls whose token is refused to their address, so a flood of bad tokens is limited", async () => {
    const gateway = gatewayWithLimits({ GATEWAY_RATE_POINTS_PER_ADDRESS: "3" });
    const badToken = { headers: { "x-test-peer": "203.0.113.20", "x-test-token": "bad" } };
    for (let call = 0; call < 3; call += 1) {
      expect((await rpcError(gateway.orders.getOrder({}, badToken))).code).toBe(Code.Unauthenticated);
    }
    const refused = await rpcError(gateway.orders.getOrder({}, badToken));
    expect(refused.code).toBe(Code.ResourceExhausted);
    expect(Number(refused.metadata.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(refused.metadata.get("x-ratelimit-limit")).toBe("3");
    expect((await rpcError(gateway.orders.getOrder({}, from("203.0.113.20", "u")))).code).toBe(
      Code.ResourceExhausted,
    );
    await expect(gateway.orders.getOrder({}, from("203.0.113.21", "u"))).resolves.toBeDefined();
    expect(gateway.handled).toEqual(["GetOrder"]);
  });

  it("reports the tightest of the address and user budgets in an allowed call's headers", async () => {
    const gateway = gatewayWithLimits({
      GATEWAY_RATE_POINTS_PER_ADDRESS: "50",
      GATEWAY_RATE_POINTS_PER_USER: "10",
    });
    const user = `user-${randomUUID()}`;
    const headers: Record<string, string | null>[] = [];
    const onHeader = (header: Headers) =>
      headers.push({
        limit: header.get("x-ratelimit-limit"),
        remaining: header.get("x-ratelimit-remaining"),
      });
    await gateway.orders.getOrder({}, { ...from("203.0.113.22"), onHeader });
    await gateway.orders.placeOrder({}, { ...from("203.0.113.22", user), onHeader });
    expect(headers).toEqual([
      { limit: "50", remaining: "49" },
      { limit: "10", remaining: "5" },
    ]);
  });

  it("charges PlaceOrder 5 points to the signed-in user, wherever the calls come from", async () => {
    const gateway = gatewayWithLimits({ GATEWAY_RATE_POINTS_PER_USER: "10" });
    const user = `user-${randomUUID()}`;
    await gateway.orders.placeOrder({}, from("203.0.113.7", user));
    await gateway.orders.placeOrder({}, from("203.0.113.8", user));
    const refused = await rpcError(gateway.orders.placeOrder({}, from("203.0.113.9", user)));
    expect(refused.code).toBe(Code.ResourceExhausted);
    expect(refused.metadata.get("x-ratelimit-limit")).toBe("10");
    await expect(
      gateway.orders.getOrder({}, from("203.0.113.9", `user-${randomUUID()}`)),
    ).resolves.toBeDefined();
  });

  it("limits Login attempts per email more strictly than other calls", async () => {
    const gateway = gatewayWithLimits({ GATEWAY_LOGIN_ATTEMPTS_PER_EMAIL: "2" });
    const login = { email: "frank@example.com", password: "wrong password" };
    await gateway.auth.login(login, from("203.0.113.10"));
    await gateway.auth.login(login, from("203.0.113.11"));
    const refused = await rpcError(gateway.auth.login(login, from("203.0.113.12")));
    expect(refused.code).toBe(Code.ResourceExhausted);
    expect(refused.message).toContain("sign-in attempts");
    expect(Number(refused.metadata.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(gateway.handled).toEqual(["Login", "Login"]);
    await expect(
      gateway.auth.login({ ...login, email: "grace@example.com" }, from("203.0.113.12")),
    ).resolves.toBeDefined();
    await expect(gateway.orders.getOrder({}, from("203.0.113.12"))).resolves.toBeDefined();
  });
});
