import { authenticatorFromEnv, type ServiceDefinition } from "@bourse/common";
import { InventoryService } from "@bourse/proto/bourse/inventory/v1/inventory_service_pb";
import { catalogueHandlers } from "./api/catalogue-handlers.js";
import { loadSeed } from "./seed/load-seed.js";
import { readSeedAssets, readSeedMarkets } from "./seed/seed-files.js";
import { AssetStore } from "./store/asset-store.js";
import { MarketStore } from "./store/market-store.js";

export interface InventoryOptions {
  /** The clock for timestamps; tests pass their own. */
  readonly now?: () => Date;
}

/**
 * The inventory service: the asset catalogue, markets and reference prices. At startup it loads the bundled
 * catalogue into the store (idempotently, so admin edits persist), then serves InventoryService.
 */
export function createInventoryService(options: InventoryOptions = {}): ServiceDefinition {
  const now = options.now ?? (() => new Date());
  return {
    name: "inventory",
    async setup(context) {
      const seed = await loadSeed(
        context.store,
        { assets: readSeedAssets(), markets: readSeedMarkets() },
        now().toISOString(),
      );
      context.logger.info(seed, "catalogue seed checked");
      const deps = {
        assets: new AssetStore(context.store),
        markets: new MarketStore(context.store),
        auth: authenticatorFromEnv("inventory", context.env),
        now,
      };
      return {
        register(router) {
          router.service(InventoryService, catalogueHandlers(deps));
        },
      };
    },
  };
}

export const inventoryService: ServiceDefinition = createInventoryService();
