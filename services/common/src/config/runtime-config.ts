import { z } from "zod";
import { logFormats } from "../logging/logger.js";
import { type Env, loadConfig, millisecondsVar, portVar } from "./env.js";

export const logLevels = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;

/** Environment variables that every service's runtime reads. */
export const runtimeConfigSchema = z.object({
  /** Interface both listeners bind to. */
  BIND_HOST: z.string().min(1).default("0.0.0.0"),
  /** h2c port serving gRPC, gRPC-Web and Connect. */
  RPC_PORT: portVar(50051),
  /** HTTP/1.1 port serving /metrics, /healthz and /readyz. */
  ADMIN_PORT: portVar(9090),
  LOG_LEVEL: z.enum(logLevels).default("info"),
  /** JSON lines for machines; `npm start` asks for readable ones when its stdout is a terminal. */
  LOG_FORMAT: z.enum(logFormats).default("json"),
  /** Time to keep serving after reporting not-ready, so load balancers stop routing first. */
  SHUTDOWN_DELAY_MS: millisecondsVar(0),
  /** Upper bound on draining in-flight calls before connections are cut. */
  SHUTDOWN_GRACE_MS: millisecondsVar(10_000),
  /** Default deadline for calls that arrive without one. */
  DEFAULT_DEADLINE_MS: millisecondsVar(30_000),
  OTEL_EXPORTER_OTLP_ENDPOINT: z.url().optional(),
});

export type RuntimeConfig = z.infer<typeof runtimeConfigSchema>;

export function loadRuntimeConfig(service: string, env: Env): RuntimeConfig {
  return loadConfig(service, runtimeConfigSchema, env);
}
