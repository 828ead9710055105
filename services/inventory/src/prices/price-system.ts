import type { Logger } from "@bourse/common";
import type { Cache } from "@bourse/common/cache";
import type { LockService } from "@bourse/common/locks";
import { CoinGeckoClient } from "../coingecko/coingecko-client.js";
import type { InventoryConfig } from "../config.js";
import { isPriced } from "../domain/asset.js";
import type { SnapshotPrice } from "../domain/price.js";
import type { AssetStore } from "../store/asset-store.js";
import { PriceCache } from "./price-cache.js";
import type { PriceMetrics } from "./price-metrics.js";
import { PriceOracle } from "./price-oracle.js";
import { PriceRefresher } from "./price-refresher.js";
import { SimulatedFeed } from "./simulated-feed.js";

export interface PriceSystemDeps {
  readonly config: InventoryConfig;
  readonly cache: Cache;
  readonly assets: AssetStore;
  readonly snapshot: ReadonlyMap<string, SnapshotPrice>;
  readonly locks: LockService;
  readonly logger: Logger;
  readonly metrics: PriceMetrics;
  readonly now: () => number;
}

export interface PriceSystem {
  readonly oracle: PriceOracle;
  /** Undefined when CoinGecko is disabled. */
  readonly refresher: PriceRefresher | undefined;
}

/** Wires the price path from config: CoinGecko client, refresher, cache, snapshot and simulated feed. */
export function createPriceSystem(deps: PriceSystemDeps): PriceSystem {
  const { config, logger, metrics, now } = deps;
  const cache = new PriceCache(deps.cache, config.PRICE_RETAIN_MS);
  const refresher = config.COINGECKO_ENABLED
    ? new PriceRefresher({
        source: new CoinGeckoClient({
          baseUrl: config.COINGECKO_BASE_URL,
          apiKey: config.COINGECKO_API_KEY,
          plan: config.COINGECKO_PLAN,
          timeoutMs: config.COINGECKO_TIMEOUT_MS,
          maxBodyBytes: config.COINGECKO_MAX_BODY_BYTES,
          maxAttempts: config.COINGECKO_MAX_ATTEMPTS,
          backoffBaseMs: config.COINGECKO_BACKOFF_BASE_MS,
          backoffMaxMs: config.COINGECKO_BACKOFF_MAX_MS,
          retryAfterMaxWaitMs: config.COINGECKO_RETRY_AFTER_MAX_WAIT_MS,
          budget: { requests: config.COINGECKO_BUDGET_REQUESTS, windowMs: config.COINGECKO_BUDGET_WINDOW_MS },
          breaker: {
            consecutiveFailures: config.COINGECKO_BREAKER_FAILURES,
            halfOpenAfterMs: config.COINGECKO_BREAKER_HALF_OPEN_MS,
          },
          logger,
          onOutcome: metrics.coingeckoCall,
          now,
        }),
        cache,
        coingeckoIds: async () =>
          (await deps.assets.all())
            .filter((asset) => asset.active && isPriced(asset))
            .map((a) => a.coingeckoId),
        intervalMs: config.PRICE_REFRESH_INTERVAL_MS,
        revalidateCooldownMs: config.PRICE_FRESH_MS,
        locks: deps.locks,
        logger,
        metrics,
        now,
      })
    : undefined;
  const oracle = new PriceOracle({
    cache,
    snapshot: deps.snapshot,
    feed: new SimulatedFeed({
      seed: config.SIMULATION_SEED,
      stepMs: config.SIMULATION_STEP_MS,
      walk: { stepPpm: config.SIMULATION_STEP_PPM, reversion: config.SIMULATION_REVERSION },
    }),
    policy: {
      freshMs: config.PRICE_FRESH_MS,
      staleMs: config.PRICE_STALE_MS,
      snapshotTtlMs: config.PRICE_SNAPSHOT_TTL_MS,
    },
    metrics,
    now,
    revalidate: (ids) => refresher?.revalidate(ids),
  });
  return { oracle, refresher };
}
