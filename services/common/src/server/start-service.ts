import { once } from "node:events";
import type { Server as HttpServer } from "node:http";
import { createServer as createHttp2Server, type Http2Server, type Http2Session } from "node:http2";
import type { AddressInfo } from "node:net";
import type { DescService } from "@bufbuild/protobuf";
import { type ConnectRouter, createContextValues } from "@connectrpc/connect";
import { connectNodeAdapter } from "@connectrpc/connect-node";
import { Counter } from "prom-client";
import { busConfigOf, createBus } from "../bus/create-bus.js";
import type { MessageBus } from "../bus/message-bus.js";
import { announceDevelopmentMode, isProduction } from "../config/deployment.js";
import type { Env } from "../config/env.js";
import {
  embeddedInfrastructure,
  loadInfrastructureConfig,
  lockConfigOf,
  storeConfigOf,
} from "../config/infrastructure-config.js";
import { loadRuntimeConfig, type RuntimeConfig } from "../config/runtime-config.js";
import { createLockService } from "../locks/create-lock-service.js";
import type { LockService } from "../locks/lock-service.js";
import { createLogger, type Logger } from "../logging/logger.js";
import { createServiceMetrics, type ServiceMetrics } from "../metrics/registry.js";
import { peerAddressKey, peerAddressOf } from "../rpc/client-address.js";
import { HealthState, registerHealthService } from "../rpc/health.js";
import { InFlightCalls } from "../rpc/in-flight.js";
import { deadlineServerInterceptor } from "../rpc/interceptors/deadline.js";
import { errorMappingInterceptor } from "../rpc/interceptors/error-mapping.js";
import { loggingInterceptor } from "../rpc/interceptors/logging.js";
import { metricsServerInterceptor } from "../rpc/interceptors/metrics.js";
import { openStreamLimitInterceptor } from "../rpc/interceptors/open-stream-limit.js";
import { tracingServerInterceptor } from "../rpc/interceptors/tracing.js";
import { registerReflectionService } from "../rpc/reflection.js";
import { createStore } from "../storage/create-store.js";
import type { Store } from "../storage/store.js";
import { flushTracing, initTracing } from "../telemetry/tracing.js";
import { type AdminRoutes, createAdminServer } from "./admin-server.js";
import { ColocatedServices } from "./colocated.js";
import { closeWhenIdle, limitRequestArrival } from "./connection-limits.js";

/** What a service gets from the runtime while it wires itself up. */
export interface ServiceContext {
  readonly name: string;
  readonly env: Env;
  readonly config: RuntimeConfig;
  readonly logger: Logger;
  readonly metrics: ServiceMetrics;
  readonly admin: AdminRoutes;
  /** The table: embedded, or DynamoDB when `STORE=dynamodb`. */
  readonly store: Store;
  /** Leases with fencing tokens: in-process, or Redis when `LOCKS=redis`. */
  readonly locks: LockService;
  /** Messages between the replicas: Redis pub/sub when `REDIS_URL` is set, else in-process. */
  readonly bus: MessageBus;
  /** Aborted when the service stops; long-lived work (streams, loops) ends with it. */
  readonly shutdownSignal: AbortSignal;
  /** Implementations of the services that run in this process, for in-process calls between them. */
  readonly colocated: ColocatedServices;
}

/** What a service hands back: its Connect routes and how to release its resources. */
export interface ServiceRoutes {
  register(router: ConnectRouter): void;
  /** Development stand-ins the service runs with (e.g. "generated signing keys"), for the notice. */
  readonly embedded?: readonly string[];
  /** Runs after in-flight calls have drained. */
  stop?(): Promise<void>;
}

export interface ServiceDefinition {
  /** Short name, e.g. `users`: the logger's `service` field and the tracer name. */
  readonly name: string;
  /** Async wiring (storage, clients, caches) that must finish before the ports open. */
  setup(context: ServiceContext): ServiceRoutes | Promise<ServiceRoutes>;
}

export interface RunningService {
  readonly name: string;
  readonly rpcPort: number;
  readonly adminPort: number;
  /** Base URL of the h2c port, for clients. */
  readonly rpcUrl: string;
  readonly adminUrl: string;
  readonly logger: Logger;
  /** Gauges and counters registry of the service, for business metrics. */
  readonly metrics: ServiceMetrics;
  setReady(ready: boolean): void;
  /** Reports not-ready, drains in-flight calls, closes both ports. Safe to call twice. */
  stop(): Promise<void>;
}

export interface StartOptions {
  env?: Env;
  /** Report ready as soon as the ports are open (default true). */
  ready?: boolean;
  /** A store shared with other services in this process; otherwise one is made from the environment. */
  store?: Store;
  /** A lock service shared with other services in this process; otherwise one is made from the environment. */
  locks?: LockService;
  /** A message bus shared with other services in this process; otherwise one is made from the environment. */
  bus?: MessageBus;
  /** Shared by the services of this process (`npm start`); otherwise the service has its own. */
  colocated?: ColocatedServices;
}

/** The service's own bus, its dropped messages counted and its failing subscribers logged. */
function createOwnBus(redisUrl: string | undefined, logger: Logger, metrics: ServiceMetrics): MessageBus {
  const dropped = new Counter({
    name: "message_bus_dropped_total",
    help: "Messages not published because Redis was unreachable",
    registers: [metrics.registry],
  });
  return createBus(busConfigOf(redisUrl), {
    publishDropped: () => dropped.inc(),
    subscriberFailed: (channel, error) =>
      logger.error({ err: error, channel }, "message bus subscriber failed"),
  });
}

async function listen(server: Http2Server | HttpServer, host: string, port: number): Promise<number> {
  server.listen(port, host);
  await once(server, "listening");
  return (server.address() as AddressInfo).port;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Starts a service: gRPC, gRPC-Web and Connect on one h2c port with health and reflection, and
 * the HTTP/1.1 admin port, with logging, metrics, tracing, error mapping and deadlines on every call,
 * and limits on message and header size, streams per connection and per service, and idle sessions.
 */
export async function startService(
  definition: ServiceDefinition,
  options: StartOptions = {},
): Promise<RunningService> {
  const env = options.env ?? process.env;
  const config = loadRuntimeConfig(definition.name, env);
  const infrastructure = loadInfrastructureConfig(definition.name, env);
  initTracing({
    serviceName: env.OTEL_SERVICE_NAME ?? definition.name,
    otlpEndpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT,
  });
  const logger = createLogger(definition.name, { level: config.LOG_LEVEL, format: config.LOG_FORMAT });
  const metrics = createServiceMetrics();
  const health = new HealthState();
  const shutdown = new AbortController();
  const admin = createAdminServer(metrics.registry, health);
  const store = options.store ?? createStore(storeConfigOf(infrastructure));
  const locks = options.locks ?? createLockService(lockConfigOf(infrastructure));
  const bus = options.bus ?? createOwnBus(infrastructure.REDIS_URL, logger, metrics);
  const context: ServiceContext = {
    name: definition.name,
    env,
    config,
    logger,
    metrics,
    admin: admin.routes,
    store,
    locks,
    bus,
    shutdownSignal: shutdown.signal,
    colocated: options.colocated ?? new ColocatedServices(),
  };
  const routes = await definition.setup(context);
  if (!isProduction(definition.name, env)) {
    announceDevelopmentMode(logger, [...embeddedInfrastructure(infrastructure), ...(routes.embedded ?? [])]);
  }

  const inFlight = new InFlightCalls();
  const served: DescService[] = [];
  const singleMessageRequestPaths = new Set<string>();
  const handler = connectNodeAdapter({
    shutdownSignal: shutdown.signal,
    readMaxBytes: config.MAX_MESSAGE_BYTES,
    writeMaxBytes: config.MAX_RESPONSE_BYTES,
    contextValues: (request) => createContextValues().set(peerAddressKey, peerAddressOf(request)),
    interceptors: [
      tracingServerInterceptor(definition.name),
      loggingInterceptor(logger),
      metricsServerInterceptor(metrics.rpc),
      inFlight.interceptor(),
      openStreamLimitInterceptor(config.MAX_OPEN_STREAMS),
      errorMappingInterceptor(logger),
      deadlineServerInterceptor({ defaultMs: config.DEFAULT_DEADLINE_MS, maxMs: config.MAX_DEADLINE_MS }),
    ],
    routes(router) {
      routes.register(router);
      registerHealthService(router, health);
      registerReflectionService(router, () => served);
      for (const { service, method, requestPath } of router.handlers) {
        if (!served.includes(service)) served.push(service);
        if (method.methodKind === "unary" || method.methodKind === "server_streaming") {
          singleMessageRequestPaths.add(requestPath);
        }
      }
      for (const service of served) health.register(service.typeName);
    },
  });

  const rpcServer = createHttp2Server(
    {
      maxSessionMemory: config.MAX_SESSION_MEMORY_MB,
      settings: {
        maxConcurrentStreams: config.MAX_CONCURRENT_STREAMS_PER_CONNECTION,
        maxHeaderListSize: config.MAX_HEADER_LIST_BYTES,
      },
    },
    handler,
  );
  limitRequestArrival(rpcServer, singleMessageRequestPaths, config.REQUEST_ARRIVAL_TIMEOUT_MS);
  const sessions = new Set<Http2Session>();
  rpcServer.on("session", (session) => {
    sessions.add(session);
    session.once("close", () => sessions.delete(session));
    closeWhenIdle(session, config.IDLE_TIMEOUT_MS);
  });
  const rpcPort = await listen(rpcServer, config.BIND_HOST, config.RPC_PORT);
  const adminPort = await listen(admin.server, config.BIND_HOST, config.ADMIN_PORT);
  const localHost =
    config.BIND_HOST === "0.0.0.0" || config.BIND_HOST === "::" ? "127.0.0.1" : config.BIND_HOST;
  logger.info(
    { rpc_port: rpcPort, admin_port: adminPort, services: served.map((service) => service.typeName) },
    `${definition.name} listening: rpc (gRPC, gRPC-Web, Connect over h2c) on ${rpcPort}, admin (HTTP/1.1) on ${adminPort}`,
  );
  health.setReady(options.ready ?? true);

  let stopping: Promise<void> | undefined;
  const stop = async () => {
    logger.info("shutting down: reporting not ready");
    health.setReady(false);
    await sleep(config.SHUTDOWN_DELAY_MS);
    const closed = new Promise<void>((resolve) => rpcServer.close(() => resolve()));
    for (const session of sessions) session.close();
    const graceOver = sleep(config.SHUTDOWN_GRACE_MS).then(() => "timeout" as const);
    const drained = await Promise.race([inFlight.idle().then(() => "drained" as const), graceOver]);
    if (drained === "timeout")
      logger.warn({ in_flight: inFlight.size }, "grace period over, cutting in-flight calls");
    shutdown.abort();
    const streamsClosed = await Promise.race([closed.then(() => "closed" as const), sleep(1000)]);
    if (streamsClosed !== "closed") for (const session of sessions) session.destroy();
    await closed;
    await routes.stop?.();
    if (!options.locks) await locks.close();
    if (!options.bus) await bus.close();
    if (!options.store) store.close();
    admin.server.closeAllConnections();
    await new Promise<void>((resolve) => admin.server.close(() => resolve()));
    await flushTracing();
    logger.info("stopped");
  };

  return {
    name: definition.name,
    rpcPort,
    adminPort,
    rpcUrl: `http://${localHost}:${rpcPort}`,
    adminUrl: `http://${localHost}:${adminPort}`,
    logger,
    metrics,
    setReady: (ready) => health.setReady(ready),
    stop: () => {
      stopping ??= stop();
      return stopping;
    },
  };
}
