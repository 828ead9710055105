import { z } from "zod";
import { logFormats } from "../logging/logger.js";
import { type Env, loadConfig, millisecondsVar, portVar } from "./env.js";

export const logLevels = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;

/** Connect refuses limits above 4 GiB - 1, the most zlib can inflate into one buffer. */
const byteCountVar = (fallback: number) => z.coerce.number().int().min(1).max(0xffffffff).default(fallback);

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
  /** Longest deadline a unary call may ask for; a longer one is cut to this. Streams are exempt. */
  MAX_DEADLINE_MS: z.coerce.number().int().min(1).default(300_000),
  /**
   * Largest request message, after decompression too (connect-node inflates with zlib's
   * `maxOutputLength` set to it, so a compressed bomb stops here). Connect's own default is 4 GiB.
   */
  MAX_MESSAGE_BYTES: byteCountVar(1024 * 1024),
  /** Largest response message the service sends. */
  MAX_RESPONSE_BYTES: byteCountVar(4 * 1024 * 1024),
  /** HTTP/2 SETTINGS_MAX_CONCURRENT_STREAMS: streams one connection may have open at once. */
  MAX_CONCURRENT_STREAMS_PER_CONNECTION: z.coerce
    .number()
    .int()
    .min(1)
    .max(2 ** 31 - 1)
    .default(100),
  /** Server-streaming calls (StreamPrices, ...) open at once in this service, over all connections. */
  MAX_OPEN_STREAMS: z.coerce.number().int().min(1).default(1000),
  /** HTTP/2 SETTINGS_MAX_HEADER_LIST_SIZE: the request headers' total size. */
  MAX_HEADER_LIST_BYTES: byteCountVar(16 * 1024),
  /** Memory one HTTP/2 session may buffer (frames, headers) before new streams are refused. */
  MAX_SESSION_MEMORY_MB: z.coerce.number().int().min(1).max(1024).default(10),
  /** A connection with no open stream and no traffic for this long is closed; 0 keeps it forever. */
  IDLE_TIMEOUT_MS: millisecondsVar(120_000),
  /**
   * Longest time a unary or server-streaming request may take to arrive in full after its headers
   * (a trickled body would otherwise hold a stream before any deadline starts); 0 never.
   */
  REQUEST_ARRIVAL_TIMEOUT_MS: millisecondsVar(30_000),
  OTEL_EXPORTER_OTLP_ENDPOINT: z.url().optional(),
});

export type RuntimeConfig = z.infer<typeof runtimeConfigSchema>;

export function loadRuntimeConfig(service: string, env: Env): RuntimeConfig {
  return loadConfig(service, runtimeConfigSchema, env);
}
