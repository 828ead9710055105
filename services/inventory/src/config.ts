import { type Env, flagVar, loadConfig, millisecondsVar } from "@bourse/common";
import { z } from "zod";

const count = (fallback: number) => z.coerce.number().int().min(1).default(fallback);
const DAY_MS = 86_400_000;

/** Environment of the inventory service beyond the runtime's; every timing is configurable for tests. */
export const inventoryConfigSchema = z
  .object({
    /** Off: never call CoinGecko (air-gapped demos); prices come from the snapshot, then the simulation. */
    COINGECKO_ENABLED: flagVar(true),
    /** Defaults by plan: the pro host for `pro`, the public host otherwise. */
    COINGECKO_BASE_URL: z.url().optional(),
    COINGECKO_API_KEY: z.string().min(1).optional(),
    /** Which key header to send; `demo` when a key is set without a plan. */
    COINGECKO_PLAN: z.enum(["public", "demo", "pro"]).optional(),
    COINGECKO_TIMEOUT_MS: millisecondsVar(5_000),
    /** Larger response bodies are refused part-way; a full `/coins/markets` page is about 200 KiB. */
    COINGECKO_MAX_BODY_BYTES: z.coerce
      .number()
      .int()
      .min(1024)
      .default(5 * 1024 * 1024),
    COINGECKO_MAX_ATTEMPTS: count(3),
    COINGECKO_BACKOFF_BASE_MS: millisecondsVar(500),
    COINGECKO_BACKOFF_MAX_MS: millisecondsVar(10_000),
    COINGECKO_RETRY_AFTER_MAX_WAIT_MS: millisecondsVar(5_000),
    /** The free tier allows about 30 calls a minute; stay below it. */
    COINGECKO_BUDGET_REQUESTS: count(25),
    COINGECKO_BUDGET_WINDOW_MS: millisecondsVar(60_000),
    COINGECKO_BREAKER_FAILURES: count(5),
    COINGECKO_BREAKER_HALF_OPEN_MS: millisecondsVar(30_000),
    PRICE_REFRESH_INTERVAL_MS: millisecondsVar(60_000),
    /** Served as `coingecko` this long after the fetch... */
    PRICE_FRESH_MS: millisecondsVar(90_000),
    /** ...then as `cache` this much longer. */
    PRICE_STALE_MS: millisecondsVar(600_000),
    /** How long quotes stay in the cache at all, as anchors for the simulation. */
    PRICE_RETAIN_MS: millisecondsVar(7 * DAY_MS),
    /** The bundled snapshot is served until it is this old; then prices are simulated. */
    PRICE_SNAPSHOT_TTL_MS: millisecondsVar(7 * DAY_MS),
    /** StreamPrices pushes at most once per this interval per asset; keep it at 1000 or more in production. */
    PRICE_STREAM_INTERVAL_MS: z.coerce.number().int().min(10).default(1_000),
    PRICE_CACHE_KEY_PREFIX: z.string().default("inventory:"),
    SIMULATION_SEED: z.string().min(1).default("bourse"),
    SIMULATION_STEP_MS: z.coerce.number().int().min(1).default(1_000),
    /** Largest random move per step, in millionths of the price. */
    SIMULATION_STEP_PPM: z.coerce.number().int().min(0).max(100_000).default(2_000),
    /** Each step pulls back 1/this of the distance to the anchor. */
    SIMULATION_REVERSION: count(200),
  })
  .transform((config) => {
    const plan = config.COINGECKO_PLAN ?? (config.COINGECKO_API_KEY ? "demo" : "public");
    const host = plan === "pro" ? "https://pro-api.coingecko.com" : "https://api.coingecko.com";
    return {
      ...config,
      COINGECKO_PLAN: plan,
      COINGECKO_BASE_URL: config.COINGECKO_BASE_URL ?? `${host}/api/v3`,
    };
  });

export type InventoryConfig = z.infer<typeof inventoryConfigSchema>;

export function loadInventoryConfig(env: Env): InventoryConfig {
  return loadConfig("inventory", inventoryConfigSchema, env);
}
