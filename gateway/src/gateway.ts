import { once } from "node:events";
import { createServer as createHttpServer } from "node:http";
import { createServer as createHttp2Server, type Http2Session } from "node:http2";
import type { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import {
  authenticatorFromEnv,
  clientAddressOf,
  createAdminServer,
  createLogger,
  createServiceMetrics,
  type Env,
  HealthState,
  InFlightCalls,
  metricsClientInterceptor,
  metricsServerInterceptor,
  peerAddressKey,
  peerAddressOf,
} from "@bourse/common";
import { serviceCredentialInterceptor } from "@bourse/common/auth";
import { type ConnectRouter, createContextValues } from "@connectrpc/connect";
import { connectNodeAdapter } from "@connectrpc/connect-node";
import { accessLogInterceptor } from "./access-log.js";
import { authInterceptor, principalKey } from "./auth-interceptor.js";
import { loadGatewayConfig } from "./config.js";
import { withCors } from "./cors.js";
import { registerForwarding } from "./forwarding.js";
import { registerIntrospection } from "./introspection.js";
import { placeholderPage } from "./placeholder-page.js";
import { publicServices } from "./public-services.js";
import {
  createGatewayRateLimiter,
  type GatewayRateLimiter,
  loginEmailOf,
  rateLimitInterceptors,
} from "./rate-limits/index.js";
import { serveStaticFiles } from "./static-files.js";
import { upstreamTransport } from "./upstream-transport.js";

export interface GatewayOptions {
  /** Configuration variables (see the README): ports, upstream URLs, AUTH_*, CORS_ORIGINS. */
  env: Env;
  /** Where calls are charged; by default `createGatewayRateLimiter(env)`, closed by `stop()`. */
  rateLimiter?: GatewayRateLimiter;
}

export interface RunningGateway {
  /** The HTTP/1.1 listener: Connect and gRPC-Web. */
  readonly httpUrl: string;
  /** The h2c listener: gRPC (and Connect over HTTP/2). */
  readonly grpcUrl: string;
  /** The admin listener: /metrics, /healthz, /readyz. */
  readonly adminUrl: string;
  stop(): Promise<void>;
}

/** Largest request message the gateway reads, after decompression too. */
const READ_MAX_BYTES = 1024 * 1024;

/**
 * The public entry point of the exchange: the public services of DESIGN §2, each forwarded to the
 * service that runs it, behind token checks, on an HTTP/1.1 listener and an h2c listener.
 */
export async function createGateway(options: GatewayOptions): Promise<RunningGateway> {
  const config = loadGatewayConfig(options.env);
  const logger = createLogger("gateway", { level: config.LOG_LEVEL, format: config.LOG_FORMAT });
  const authenticator = authenticatorFromEnv("gateway", options.env);
  const rateLimiter = options.rateLimiter ?? createGatewayRateLimiter(options.env, { logger });
  const upstreamUrls = {
    users: config.USERS_URL,
    inventory: config.INVENTORY_URL,
    orders: config.ORDERS_URL,
    matching: config.MATCHING_URL,
  };
  const metrics = createServiceMetrics();
  const health = new HealthState();
  const inFlight = new InFlightCalls();
  const routes = publicServices.map(({ service, upstream }) => ({
    service,
    transport: upstreamTransport(upstreamUrls[upstream], config.GATEWAY_UPSTREAM_CONNECT_TIMEOUT_MS, [
      metricsClientInterceptor(metrics.rpc),
      serviceCredentialInterceptor(config.SERVICE_CREDENTIAL),
    ]),
  }));
  const rateLimits = rateLimitInterceptors(rateLimiter, {
    clientAddress: (request) =>
      clientAddressOf(request.contextValues, request.header, config.TRUSTED_PROXY_HOPS) ?? "unknown",
    userId: (values) => values.get(principalKey)?.userId,
    emailOfLogin: loginEmailOf,
  });
  const handler = connectNodeAdapter({
    routes: (router: ConnectRouter) => {
      registerForwarding(router, routes);
      registerIntrospection(router, health);
    },
    readMaxBytes: READ_MAX_BYTES,
    /* A path that is no RPC route: the web app's files (or its placeholder page), for GET and HEAD. */
    fallback: serveStaticFiles({
      webRoot: config.GATEWAY_WEB_ROOT,
      placeholder: (host) =>
        placeholderPage({
          host,
          grpcPort: (grpcServer.address() as AddressInfo).port,
          services: publicServices.map(({ service }) => service),
        }),
    }),
    /* The address is charged before the token is checked, so that a flood of missing or bad tokens is
       limited too; the user after, once auth has said who it is. */
    interceptors: [
      metricsServerInterceptor(metrics.rpc),
      inFlight.interceptor(),
      accessLogInterceptor(logger),
      rateLimits.perAddress,
      authInterceptor(authenticator),
      rateLimits.perUser,
    ],
    contextValues: (request) => createContextValues().set(peerAddressKey, peerAddressOf(request)),
  });

  const httpServer = createHttpServer(withCors(config.CORS_ORIGINS, handler));
  const grpcServer = createHttp2Server(handler);
  /* stop() closes the sessions, then cuts those a stream keeps open. */
  const grpcSessions = new Set<Http2Session>();
  grpcServer.on("session", (session) => {
    grpcSessions.add(session);
    session.once("close", () => grpcSessions.delete(session));
  });
  const adminServer = createAdminServer(metrics.registry, health).server;
  httpServer.listen(config.GATEWAY_HTTP_PORT, config.BIND_HOST);
  grpcServer.listen(config.GATEWAY_GRPC_PORT, config.BIND_HOST);
  adminServer.listen(config.GATEWAY_ADMIN_PORT, config.BIND_HOST);
  await Promise.all([
    once(httpServer, "listening"),
    once(grpcServer, "listening"),
    once(adminServer, "listening"),
  ]);
  health.setReady(true);
  const urlOf = (address: AddressInfo) =>
    `http://${address.family === "IPv6" ? `[${address.address}]` : address.address}:${address.port}`;
  const httpUrl = urlOf(httpServer.address() as AddressInfo);
  const grpcUrl = urlOf(grpcServer.address() as AddressInfo);
  const adminUrl = urlOf(adminServer.address() as AddressInfo);
  logger.info({ httpUrl, grpcUrl, adminUrl, upstreams: upstreamUrls }, "gateway listening");

  return {
    httpUrl,
    grpcUrl,
    adminUrl,
    async stop() {
      health.setReady(false);
      const closed = Promise.all([
        new Promise<void>((resolve) => httpServer.close(() => resolve())),
        new Promise<void>((resolve) => grpcServer.close(() => resolve())),
      ]);
      httpServer.closeIdleConnections();
      for (const session of grpcSessions) session.close();
      const grace = new AbortController();
      const graceOver = sleep(config.GATEWAY_SHUTDOWN_GRACE_MS, "timeout" as const, {
        signal: grace.signal,
      }).catch(() => "drained" as const);
      const drained = await Promise.race([inFlight.idle().then(() => "drained" as const), graceOver]);
      grace.abort();
      if (drained === "timeout")
        logger.warn({ in_flight: inFlight.size }, "grace period over, cutting calls");
      /* The last responses are still being written: connections get a moment to end, then whatever a
         stream keeps open (streams never end by themselves) is cut. */
      httpServer.closeIdleConnections();
      const ended = await Promise.race([closed.then(() => "ended" as const), sleep(1_000)]);
      if (ended !== "ended") {
        httpServer.closeAllConnections();
        for (const session of grpcSessions) session.destroy();
      }
      await closed;
      adminServer.closeAllConnections();
      await new Promise<void>((resolve) => adminServer.close(() => resolve()));
      if (options.rateLimiter === undefined) await rateLimiter.close();
    },
  };
}
