import { authenticatorFromEnv, loadInfrastructureConfig, type ServiceDefinition } from "@bourse/common";
import { cacheConfigOf, createCache } from "@bourse/common/cache";
import { InventoryService } from "@bourse/proto/bourse/inventory/v1/inventory_service_pb";
import { catalogueHandlers } from "./api/catalogue-handlers.js";
import { getPrices, streamPrices } from "./api/prices.js";
import { loadInventoryConfig } from "./config.js";
import { createPriceMetrics } from "./prices/price-metrics.js";
import { snapshotPrices } from "./prices/price-snapshot.js";
import { createPriceSystem } from "./prices/price-system.js";
import { loadSeed } from "./seed/load-seed.js";
import { readPriceSnapshot, readSeedAssets, readSeedMarkets } from "./seed/seed-files.js";
import { AssetStore } from "./store/asset-store.js";
import { MarketStore } from "./store/market-store.js";

export interface InventoryOptions {
  /** The clock for timestamps and price ages; tests pass their own. */
  readonly now?: () => Date;
}

/**
 * The inventory service: the asset catalogue, markets and reference prices. At startup it loads the bundled
 * catalogue into the store (idempotently, so admin edits persist), opens the price cache (Redis when
 * REDIS_URL is set, in memory otherwise) and starts the CoinGecko refresher.
 */
export function createInventoryService(options: InventoryOptions = {}): ServiceDefinition {
  const now = options.now ?? (() => new Date());
  return {
    name: "inventory",
    async setup(context) {
      const config = loadInventoryConfig(context.env);
      const { REDIS_URL } = loadInfrastructureConfig("inventory", context.env);
      const seed = await loadSeed(
        context.store,
        { assets: readSeedAssets(), markets: readSeedMarkets() },
        now().toISOString(),
      );
      context.logger.info(seed, "catalogue seed checked");

      const snapshotFile = readPriceSnapshot();
      context.logger.info({ snapshot_as_of: snapshotFile.asOf }, "bundled price snapshot loaded");
      const assets = new AssetStore(context.store);
      const cache = createCache(cacheConfigOf(REDIS_URL, config.PRICE_CACHE_KEY_PREFIX));
      const metrics = createPriceMetrics(context.metrics.registry);
      const prices = createPriceSystem({
        config,
        cache,
        assets,
        snapshot: snapshotPrices(snapshotFile),
        locks: context.locks,
        logger: context.logger,
        metrics,
        now: () => now().getTime(),
      });
      const refreshing = prices.refresher?.run(context.shutdownSignal);

      const catalogue = {
        assets,
        markets: new MarketStore(context.store),
        auth: authenticatorFromEnv("inventory", context.env),
        now,
      };
      const priceDeps = {
        assets,
        oracle: prices.oracle,
        metrics,
        streamIntervalMs: config.PRICE_STREAM_INTERVAL_MS,
      };
      return {
        register(router) {
          router.service(InventoryService, {
            ...catalogueHandlers(catalogue),
            getPrices: (request) => getPrices(priceDeps, request),
            streamPrices: (request, handlerContext) => streamPrices(priceDeps, request, handlerContext),
          });
        },
        async stop() {
          await refreshing;
          await prices.refresher?.settled();
          await cache.close();
        },
      };
    },
  };
}

export const inventoryService: ServiceDefinition = createInventoryService();
