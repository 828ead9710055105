import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { type Env, loadConfig, millisecondsVar, portVar, runtimeConfigSchema } from "@bourse/common";
import { serviceCredentialVar } from "@bourse/common/auth";
import { z } from "zod";

/** Where an upstream service listens: its h2c gRPC URL. */
const upstreamUrl = (fallback: string) => z.url().default(fallback);

/** A comma-separated list, blanks dropped. */
const listVar = z
  .string()
  .default("")
  .transform((text) =>
    text
      .split(",")
      .map((entry) => entry.trim())
      .filter((entry) => entry !== ""),
  );

/** The repository's root directory: relative paths of the configuration are taken from it, not the working directory. */
const repositoryRoot = fileURLToPath(new URL("../..", import.meta.url));

export const gatewayConfigSchema = z.object({
  ...runtimeConfigSchema.pick({ BIND_HOST: true, LOG_LEVEL: true, LOG_FORMAT: true }).shape,
  /** HTTP/1.1 port serving Connect and gRPC-Web (browsers, curl). */
  GATEWAY_HTTP_PORT: portVar(8080),
  /** h2c port serving gRPC (and Connect over HTTP/2). */
  GATEWAY_GRPC_PORT: portVar(8081),
  /** HTTP/1.1 port serving /metrics, /healthz and /readyz; keep it off the public network. */
  GATEWAY_ADMIN_PORT: portVar(9100),
  USERS_URL: upstreamUrl("http://127.0.0.1:50051"),
  INVENTORY_URL: upstreamUrl("http://127.0.0.1:50052"),
  ORDERS_URL: upstreamUrl("http://127.0.0.1:50053"),
  MATCHING_URL: upstreamUrl("http://127.0.0.1:50054"),
  /** How long opening a connection to an upstream may take before the call fails with `unavailable`. */
  GATEWAY_UPSTREAM_CONNECT_TIMEOUT_MS: millisecondsVar(3_000),
  /** On stop, how long calls in progress may take to finish before every connection is cut. */
  GATEWAY_SHUTDOWN_GRACE_MS: millisecondsVar(10_000),
  /**
   * Presented on every forwarded call: the services trust the `x-forwarded-for` of calls that carry
   * it (the users service's sign-in limit per client address). `npm start` generates one per run.
   */
  SERVICE_CREDENTIAL: serviceCredentialVar,
  /**
   * Proxies in front of the gateway (an ingress) that append the address they saw to
   * `x-forwarded-for`; 0 takes the connection's peer as the client, whatever the header says. The
   * users service must be given the same number. Never set it higher than the proxies really there,
   * or clients choose their own address.
   */
  TRUSTED_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
  /** Browser origins allowed to call the HTTP/1.1 listener (CORS); empty allows none. */
  CORS_ORIGINS: listVar,
  /** The web app's build, served on the HTTP/1.1 listener; a placeholder page while it does not exist. */
  GATEWAY_WEB_ROOT: z
    .string()
    .min(1)
    .default("web/dist")
    .transform((path) => resolve(repositoryRoot, path)),
});

export type GatewayConfig = z.infer<typeof gatewayConfigSchema>;

export const loadGatewayConfig = (env: Env): GatewayConfig => loadConfig("gateway", gatewayConfigSchema, env);
