import type { ServiceDefinition } from "@bourse/common";

/**
 * The matching service: order books, settlement and market data.
 * Its public API is registered here as it lands; until then it serves health, reflection and
 * metrics like every Bourse service.
 */
export const matchingService: ServiceDefinition = {
  name: "matching",
  setup: () => ({ register: () => {} }),
};
