import { randomBytes } from "node:crypto";
import type { ServiceDefinition } from "@bourse/common";
import { loadMarketMakerConfig } from "./config.js";
import { createExchangeApi } from "./exchange/exchange-api.js";
import { createMarketMakerMetrics } from "./metrics.js";
import { Notices } from "./quoting/notices.js";
import { runQuoteCycle } from "./quoting/quote-cycle.js";
import { runQuoteLoop } from "./quoting/quote-loop.js";

/** Each call's deadline: a cycle is a handful of calls, and a stuck one must not stall the quotes. */
const CALL_TIMEOUT_MS = 5_000;

const randomToken = (bytes: number) => randomBytes(bytes).toString("base64url");

/**
 * The market maker: a normal API client of users, inventory and orders with its own account, keeping
 * a ladder of bids and asks around each quoted market's reference price. It serves no API of its own,
 * only health and metrics; the quoting runs in the background until the service stops.
 */
export const marketMakerService: ServiceDefinition = {
  name: "marketmaker",
  setup(context) {
    const config = loadMarketMakerConfig(context.env, () => randomToken(24));
    if (!config.MARKETMAKER_ENABLED) {
      context.logger.info("market maker disabled (MARKETMAKER_ENABLED=false): not quoting");
      return { register: () => {} };
    }
    const metrics = createMarketMakerMetrics(context.metrics.registry);
    const api = createExchangeApi({
      endpoints: {
        usersUrl: config.USERS_URL,
        inventoryUrl: config.INVENTORY_URL,
        ordersUrl: config.ORDERS_URL,
      },
      credentials: { email: config.MARKETMAKER_EMAIL, password: config.MARKETMAKER_PASSWORD },
      metrics: context.metrics.rpc,
      callTimeoutMs: CALL_TIMEOUT_MS,
      signal: context.shutdownSignal,
    });
    const run = randomToken(6);
    let deposits = 0;
    const notices = new Notices(context.logger);
    context.logger.info(
      {
        markets: config.MARKETMAKER_MARKETS,
        levels: config.MARKETMAKER_LEVELS,
        spread_bps: config.MARKETMAKER_SPREAD_BPS,
        step_bps: config.MARKETMAKER_STEP_BPS,
        level_notional: config.MARKETMAKER_LEVEL_NOTIONAL,
        account: config.MARKETMAKER_EMAIL,
        funding: config.funding,
      },
      "market maker starting",
    );
    const quoting = runQuoteLoop(
      () =>
        runQuoteCycle({
          api,
          markets: config.MARKETMAKER_MARKETS,
          ladder: {
            levels: config.MARKETMAKER_LEVELS,
            spreadBps: config.MARKETMAKER_SPREAD_BPS,
            stepBps: config.MARKETMAKER_STEP_BPS,
            levelNotional: config.MARKETMAKER_LEVEL_NOTIONAL,
          },
          repriceBps: config.MARKETMAKER_REPRICE_BPS,
          funding: config.funding,
          metrics,
          notices,
          nonce: () => randomToken(12),
          depositKey: () => `mm-fund-${run}-${++deposits}`,
        }),
      {
        refreshMs: config.MARKETMAKER_REFRESH_MS,
        maxBackoffMs: config.MARKETMAKER_MAX_BACKOFF_MS,
        logger: context.logger,
        signal: context.shutdownSignal,
        onCycle: metrics.cycle,
      },
    );
    return {
      register: () => {},
      embedded: config.generatedPassword ? ["a market-maker password generated for this run"] : [],
      stop: () => quoting,
    };
  },
};
