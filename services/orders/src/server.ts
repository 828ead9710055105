import type { ServiceDefinition } from "@bourse/common";

/**
 * The orders service: order lifecycle and the portfolio view.
 * Its public API is registered here as it lands; until then it serves health, reflection and
 * metrics like every Bourse service.
 */
export const ordersService: ServiceDefinition = {
  name: "orders",
  setup: () => ({ register: () => {} }),
};
