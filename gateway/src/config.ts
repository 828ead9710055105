import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { type Env, loadConfig, millisecondsVar, portVar, runtimeConfigSchema } from "@bourse/common";
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
