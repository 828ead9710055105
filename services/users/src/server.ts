import type { ServiceDefinition } from "@bourse/common";

/**
 * The users service: accounts, tokens, balances and the ledger.
 * Its public API is registered here as it lands; until then it serves health, reflection and
 * metrics like every Bourse service.
 */
export const usersService: ServiceDefinition = {
  name: "users",
  setup: () => ({ register: () => {} }),
};
