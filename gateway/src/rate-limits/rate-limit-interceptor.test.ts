import { randomUUID } from "node:crypto";
import { createLogger, peerAddressKey } from "@bourse/common";
import { rpcError } from "@bourse/common/testing";
import { OrderService } from "@bourse/proto/bourse/orders/v1/order_service_pb";
import { AuthService } from "@bourse/proto/bourse/users/v1/auth_service_pb";
import {
  Code,
  createClient,
  createContextKey,
  createRouterTransport,
  type Interceptor,
} from "@connectrpc/connect";
import { describe, expect, it } from "vitest";
import { createGatewayRateLimiter } from "./gateway-rate-limiter.js";
import { loginEmailOf, rateLimitInterceptor } from "./rate-limit-interceptor.js";

const userKey = createContextKey<string | undefined>(undefined);

/** Stands in for the gateway's adapter and auth interceptor: the test's headers say who calls from where. */
const callerFromHeaders: Interceptor = (next) => (request) => {
  request.contextValues.set(peerAddressKey, request.header.get("x-test-peer") ?? "192.0.2.1");
  request.contextValues.set(userKey, request.header.get("x-test-user") ?? undefined);
  return next(request);
};

function gatewayWithLimits(env: Record<string, string>) {
  const handled: string[] = [];
  const limiter = createGatewayRateLimiter(
    { GATEWAY_RATE_WINDOW_SECONDS: "60", GATEWAY_LOGIN_WINDOW_SECONDS: "60", ...env },
    { logger: createLogger("test", { level: "silent" }) },
  );
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
    {
      router: {
        interceptors: [
          callerFromHeaders,
          rateLimitInterceptor(limiter, {
            peerAddress: (context) => context.get(peerAddressKey) ?? "",
            userId: (context) => context.get(userKey),
            emailOfLogin: loginEmailOf,
          }),
        ],
      },
    },
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
