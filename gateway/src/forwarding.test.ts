/**
 * What the gateway passes on to an upstream and back, against a stand-in upstream that reports what it
 * received: headers, deadline, cancellation, and its errors' code, message and metadata.
 */
import { once } from "node:events";
import { createServer, type Http2Server } from "node:http2";
import type { AddressInfo } from "node:net";
import { SERVICE_CREDENTIAL_HEADER } from "@bourse/common/auth";
import { rpcError } from "@bourse/common/testing";
import { MarketDataService } from "@bourse/proto/bourse/marketdata/v1/market_data_service_pb";
import { AuthService } from "@bourse/proto/bourse/users/v1/auth_service_pb";
import { Code, ConnectError, createClient, type HandlerContext } from "@connectrpc/connect";
import { connectNodeAdapter, createConnectTransport, createGrpcWebTransport } from "@connectrpc/connect-node";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createGateway, type RunningGateway } from "./gateway.js";

const traceparent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
const serviceCredential = "the-gateway-s-own-service-credential";

let upstream: Http2Server;
let gateway: RunningGateway;
let upstreamStreamCancelled: Promise<void>;
let upstreamUrl: string;
let refreshArrived: () => void = () => {};
let answerRefresh: () => void = () => {};
const refreshMayAnswer = new Promise<void>((resolve) => {
  answerRefresh = resolve;
});

function echoedHeaders(context: HandlerContext): Record<string, string> {
  const seen = (name: string) => context.requestHeader.get(name) ?? "(none)";
  return {
    "seen-authorization": seen("authorization"),
    "seen-traceparent": seen("traceparent"),
    "seen-tracestate": seen("tracestate"),
    "seen-request-id": seen("x-request-id"),
    "seen-forwarded-for": seen("x-forwarded-for"),
    "seen-cookie": seen("cookie"),
    "seen-service-credential": seen(SERVICE_CREDENTIAL_HEADER),
    "seen-timeout-ms": String(context.timeoutMs() ?? "(none)"),
  };
}

beforeAll(async () => {
  let streamCancelled: () => void = () => {};
  upstreamStreamCancelled = new Promise((resolve) => {
    streamCancelled = resolve;
  });
  upstream = createServer(
    connectNodeAdapter({
      routes(router) {
        router.service(AuthService, {
          async refresh() {
            refreshArrived();
            await refreshMayAnswer;
            return {};
          },
          logout(_request, context) {
            throw new ConnectError("upstream says no", Code.FailedPrecondition, echoedHeaders(context));
          },
        });
        router.service(MarketDataService, {
          async *streamTrades(request, context) {
            yield { trades: [{ id: "t1", market: request.market, price: "1", quantity: "1" }] };
            await new Promise<void>((resolve) => context.signal.addEventListener("abort", () => resolve()));
            streamCancelled();
          },
        });
      },
    }),
  );
  upstream.listen(0, "127.0.0.1");
  await once(upstream, "listening");
  upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
  gateway = await startGateway();
});

const startGateway = () =>
  createGateway({
    env: {
      BIND_HOST: "127.0.0.1",
      GATEWAY_HTTP_PORT: "0",
      GATEWAY_GRPC_PORT: "0",
      GATEWAY_ADMIN_PORT: "0",
      LOG_LEVEL: "silent",
      SERVICE_CREDENTIAL: serviceCredential,
      USERS_URL: upstreamUrl,
      MATCHING_URL: upstreamUrl,
      CORS_ORIGINS: "https://app.bourse.test",
    },
  });

afterAll(async () => {
  await gateway?.stop();
  upstream?.close();
});

const transport = () => createConnectTransport({ baseUrl: gateway.httpUrl, httpVersion: "1.1" });

it("passes the caller's headers and remaining deadline on, with its own service credential instead of any the caller sent, and the upstream's error back as it was", async () => {
  const auth = createClient(AuthService, transport());
  const error = await rpcError(
    auth.logout(
      { refreshToken: "r" },
      {
        timeoutMs: 20_000,
        headers: {
          authorization: "Bearer some-token",
          traceparent,
          tracestate: "vendor=1",
          "x-request-id": "request-1",
          cookie: "session=secret",
          [SERVICE_CREDENTIAL_HEADER]: "a-credential-the-caller-made-up-itself",
        },
      },
    ),
  );
  expect(error.code).toBe(Code.FailedPrecondition);
  expect(error.rawMessage).toBe("upstream says no");
  const seen = (name: string) => error.metadata.get(`seen-${name}`);
  expect({
    authorization: seen("authorization"),
    traceparent: seen("traceparent"),
    tracestate: seen("tracestate"),
    requestId: seen("request-id"),
    forwardedFor: seen("forwarded-for"),
    cookie: seen("cookie"),
    serviceCredential: seen("service-credential"),
  }).toEqual({
    authorization: "Bearer some-token",
    traceparent,
    tracestate: "vendor=1",
    requestId: "request-1",
    forwardedFor: "127.0.0.1",
    cookie: "(none)",
    serviceCredential,
  });
  const timeoutMs = Number(seen("timeout-ms"));
  expect(timeoutMs).toBeGreaterThan(0);
  expect(timeoutMs).toBeLessThanOrEqual(20_000);
});

it("streams the upstream's messages and cancels the upstream stream when the client goes away", async () => {
  const marketData = createClient(MarketDataService, transport());
  const leaving = new AbortController();
  for await (const response of marketData.streamTrades({ market: "BTC-USD" }, { signal: leaving.signal })) {
    expect(response.trades.map((trade) => trade.id)).toEqual(["t1"]);
    break;
  }
  leaving.abort();
  await upstreamStreamCancelled;
});

it("counts calls on both sides in /metrics", async () => {
  const auth = createClient(AuthService, transport());
  await rpcError(auth.logout({ refreshToken: "r" }));
  const metrics = await (await fetch(`${gateway.adminUrl}/metrics`)).text();
  const logout = 'service="bourse.users.v1.AuthService",method="Logout",code="failed_precondition"';
  expect(metrics).toMatch(new RegExp(`rpc_server_requests_total\\{${logout}\\} [1-9]`));
  expect(metrics).toMatch(new RegExp(`rpc_client_requests_total\\{${logout}\\} [1-9]`));
  expect((await fetch(`${gateway.adminUrl}/readyz`)).status).toBe(200);
});

it("lets a call in progress finish when it stops", async () => {
  const stopping = await startGateway();
  const arrived = new Promise<void>((resolve) => {
    refreshArrived = resolve;
  });
  const auth = createClient(
    AuthService,
    createConnectTransport({ baseUrl: stopping.httpUrl, httpVersion: "1.1" }),
  );
  const refresh = auth.refresh({ refreshToken: "r" });
  await arrived;
  const stopped = stopping.stop();
  answerRefresh();
  await expect(refresh).resolves.toBeDefined();
  await stopped;
});

it("serves gRPC-Web on the HTTP/1.1 listener", async () => {
  const auth = createClient(
    AuthService,
    createGrpcWebTransport({ baseUrl: gateway.httpUrl, httpVersion: "1.1" }),
  );
  const error = await rpcError(auth.logout({ refreshToken: "r" }, { headers: { "x-request-id": "web-1" } }));
  expect(error.code).toBe(Code.FailedPrecondition);
  expect(error.metadata.get("seen-request-id")).toBe("web-1");
});

it("answers the CORS preflight of an allowed origin only", async () => {
  const preflight = (origin: string) =>
    fetch(`${gateway.httpUrl}/${AuthService.typeName}/Login`, {
      method: "OPTIONS",
      headers: {
        origin,
        "access-control-request-method": "POST",
        "access-control-request-headers": "authorization, content-type",
      },
    });
  const allowed = await preflight("https://app.bourse.test");
  expect(allowed.status).toBe(204);
  expect(allowed.headers.get("access-control-allow-origin")).toBe("https://app.bourse.test");
  expect(allowed.headers.get("access-control-allow-headers")).toContain("Authorization");
  const other = await preflight("https://elsewhere.test");
  expect(other.headers.get("access-control-allow-origin")).toBeNull();
});
