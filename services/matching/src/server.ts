import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import type { ServiceDefinition } from "@bourse/common";
import { serviceCredentialGuard } from "@bourse/common/auth";
import { createStampFactory } from "@bourse/ledger";
import { MarketDataService } from "@bourse/proto/bourse/marketdata/v1/market_data_service_pb";
import { MatchingService } from "@bourse/proto/bourse/matching/v1/matching_service_pb";
import { colocatedMatchingApi } from "./api/colocated-api.js";
import { marketDataHandlers } from "./api/market-data-handlers.js";
import { matchingCalls, matchingHandlers } from "./api/matching-handlers.js";
import { defaultAdvertiseUrl, loadMatchingConfig } from "./config.js";
import { MarketDataHub } from "./market-data/market-data-hub.js";
import { createMarketDataMetrics } from "./market-data/market-data-metrics.js";
import { MarketDirectory } from "./market-data/market-directory.js";
import { ReplicaMarketFeeds } from "./market-data/replica-market-feeds.js";
import type { MarketListener } from "./runtime/market-listener.js";
import { MarketOwnership } from "./runtime/market-ownership.js";
import { createMatchingMetrics } from "./runtime/matching-metrics.js";
import { listMarketSymbols } from "./store/market-list.js";
import { userEventsListenerOf } from "./user-events/user-events-listener.js";

export interface MatchingOptions {
  /** The clock; tests pass their own. */
  readonly now?: () => Date;
  /** Most items per settlement transaction; overrides MATCHING_MAX_TRANSACTION_ITEMS. */
  readonly maxTransactionItems?: number;
}

/**
 * The matching service: claims markets (a fenced lease each), runs one queue and one book per owned
 * market, writes every batch of outcomes as settlement transactions, and serves the internal
 * MatchingService, over Connect and in-process to the services of the same process.
 */
export function createMatchingService(options: MatchingOptions = {}): ServiceDefinition {
  const now = options.now ?? (() => new Date());
  return {
    name: "matching",
    setup(context) {
      const config = loadMatchingConfig(context.env);
      const ownerId = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
      const configuredMarkets = config.MATCHING_MARKETS;
      /** Publishers of what the runners commit: market data and the users' order updates. */
      const listeners: MarketListener[] = [];
      const userEvents = userEventsListenerOf(context);
      listeners.push(userEvents.listener);
      const marketData = new MarketDataHub({
        store: context.store,
        now,
        logger: context.logger,
        candleFlushMs: config.MARKETDATA_CANDLE_FLUSH_MS,
      });
      listeners.push(marketData);
      const marketFeeds = new ReplicaMarketFeeds({
        local: (market) => marketData.local(market),
        bus: context.bus,
        now,
      });
      listeners.push(marketFeeds);
      const ownership = new MarketOwnership({
        store: context.store,
        locks: context.locks,
        ownerId,
        ownerUrl:
          config.MATCHING_ADVERTISE_URL ??
          defaultAdvertiseUrl(context.config.BIND_HOST, context.config.RPC_PORT),
        markets: configuredMarkets ? async () => configuredMarkets : () => listMarketSymbols(context.store),
        leaseMs: config.MATCHING_LEASE_MS,
        claimIntervalMs: config.MATCHING_CLAIM_INTERVAL_MS || Math.floor(config.MATCHING_LEASE_MS / 3),
        claimStaggerMs: config.MATCHING_CLAIM_STAGGER_MS,
        sweepIntervalMs: config.MATCHING_SWEEP_INTERVAL_MS,
        pendingAgeMs: config.MATCHING_PENDING_AGE_MS,
        maxBatchCommands: config.MATCHING_MAX_BATCH_COMMANDS,
        maxQueue: config.MATCHING_MAX_QUEUE,
        maxTransactionItems: options.maxTransactionItems ?? config.MATCHING_MAX_TRANSACTION_ITEMS,
        listeners,
        now,
        stamp: createStampFactory(now),
        metrics: createMatchingMetrics(context.metrics.registry),
        logger: context.logger,
      });
      ownership.start();
      const calls = matchingCalls(ownership, ownerId);
      context.colocated.provide(MatchingService.typeName, colocatedMatchingApi(calls));
      const marketDataDeps = {
        feeds: marketFeeds,
        hub: marketData,
        directory: new MarketDirectory(() => listMarketSymbols(context.store)),
        store: context.store,
        metrics: createMarketDataMetrics(context.metrics.registry),
        now,
        shutdown: context.shutdownSignal,
        limits: {
          maxPendingLevels: config.MARKETDATA_MAX_PENDING_LEVELS,
          intervalMs: config.MARKETDATA_BOOK_INTERVAL_MS,
          tradeBuffer: config.MARKETDATA_TRADE_BUFFER,
          tickerIntervalMs: config.MARKETDATA_TICKER_INTERVAL_MS,
        },
      };
      return {
        register(router) {
          router.service(
            MatchingService,
            matchingHandlers(calls, serviceCredentialGuard(config.SERVICE_CREDENTIAL)),
          );
          // Public: no service credential, as DESIGN §1 lists MarketDataService through the gateway.
          router.service(MarketDataService, marketDataHandlers(marketDataDeps));
        },
        async stop() {
          context.colocated.withdraw(MatchingService.typeName);
          await ownership.stop();
          await userEvents.release();
          marketFeeds.close();
          await marketData.stop();
        },
      };
    },
  };
}

export const matchingService: ServiceDefinition = createMatchingService();
