import type { ServiceDefinition } from "@bourse/common";

/**
 * The inventory service: the asset catalogue, markets and CoinGecko prices.
 * Its public API is registered here as it lands; until then it serves health, reflection and
 * metrics like every Bourse service.
 */
export const inventoryService: ServiceDefinition = {
  name: "inventory",
  setup: () => ({ register: () => {} }),
};
