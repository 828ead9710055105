import { type Env, loadConfig, millisecondsVar } from "@bourse/common";
import { serviceCredentialVar } from "@bourse/common/auth";
import { parseDecimal } from "@bourse/common/money";
import { z } from "zod";

/** A decimal fraction in [0, 1], kept as the string it was given: money rules never go through floats. */
const fractionVar = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .refine((text) => {
      try {
        return parseDecimal(text, 18) <= 10n ** 18n;
      } catch {
        return false;
      }
    }, "must be a decimal fraction from 0 to 1 with at most 18 decimals, e.g. 0.10");

/** The orders service's own settings (the runtime's and AUTH_* are read by the runtime and the authenticator). */
export const ordersConfigSchema = z.object({
  /**
   * The matching service to call when the market's owner has not recorded its URL (and no matching
   * runs in this process); `npm start` sets it to the matching it runs.
   */
  MATCHING_URL: z.url().default("http://127.0.0.1:50054"),
  /** Presented to MatchingService, which admits only Bourse's own services (DESIGN §3.8). */
  SERVICE_CREDENTIAL: serviceCredentialVar,
  /**
   * A market buy sized in base quantity runs as an IOC limit at the best ask plus this fraction, rounded
   * up to the tick, and holds what a limit buy at that price would.
   */
  MARKET_BUY_PROTECTION: fractionVar("0.10"),
  /**
   * How long a call waits for the market's matching engine, retries included. Past it PlaceOrder returns
   * the order NEW (accepted; the owner processes it when it is back), and cancel and amend fail with
   * unavailable.
   */
  MATCHING_CALL_BUDGET_MS: millisecondsVar(3_000),
  /** The inventory service, asked for reference prices (GetPortfolio's marks); `npm start` sets it. */
  INVENTORY_URL: z.url().default("http://127.0.0.1:50052"),
  /** How long GetPortfolio waits for inventory's reference prices before valuing without them. */
  PORTFOLIO_PRICE_TIMEOUT_MS: millisecondsVar(1_000),
  /** Most items in one group-commit transaction of new orders (DynamoDB allows 100). */
  PLACE_BATCH_MAX_ITEMS: z.coerce.number().int().min(5).max(100).default(100),
  /**
   * Updates a StreamMyOrders reader may fall behind before its stream is ended with resource_exhausted
   * (it reconnects with its last sequence and catches up from the user event log).
   */
  USER_STREAM_BUFFER: z.coerce.number().int().min(1).max(100_000).default(1000),
});

export type OrdersConfig = z.infer<typeof ordersConfigSchema>;

export function loadOrdersConfig(env: Env): OrdersConfig {
  return loadConfig("orders", ordersConfigSchema, env);
}
