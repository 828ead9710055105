/**
 * Issue #10: replicas that do not own a market serve its market data from the owner's events on Redis. Two
 * matching instances share a DynamoDB Local table and a real Redis; A owns the market, B does not. Clients
 * of B's StreamOrderBook and StreamTrades get the book and the trades that A's GetOrderBook and
 * ListRecentTrades answer; once A stops and B takes the market over, B's stream goes on, without a new
 * subscription, from a fresh snapshot, and follows B's own book from then on.
 */
import { randomUUID } from "node:crypto";
import { createServiceClient, type RunningService, startService } from "@bourse/common";
import { RedisBus } from "@bourse/common/bus";
import { RedisLockService } from "@bourse/common/locks";
import { createDynamoDbClient, DynamoDbStore, ensureTable } from "@bourse/common/storage";
import { freePort } from "@bourse/common/testing";
import { matchingService } from "@bourse/matching";
import { MarketDataService } from "@bourse/proto/bourse/marketdata/v1/market_data_service_pb";
import type { Trade } from "@bourse/proto/bourse/marketdata/v1/trade_pb";
import { afterAll, beforeAll, describe, expect, inject, it, vi } from "vitest";
import {
  matchingClient,
  type OrderFlowExchange,
  startOrderFlowExchange,
  waitUntilOwned,
} from "../order-flow/support/exchange.js";
import { seededRandom } from "../order-flow/support/random.js";
import type { Trader } from "../order-flow/support/trader.js";
import { BookFollower } from "./support/book-follower.js";
import { bookView } from "./support/book-replica.js";
import { runRandomOrders } from "./support/random-orders.js";

const market = "ETH-USD";
const LEASE_MS = 1_500;
/** Few enough that every trade stays within ListRecentTrades' 500. */
const ORDERS = 300;
const FULL_DEPTH = 1000;

const dynamoEndpoint = inject("dynamoEndpoint");
const redisUrl = inject("redisUrl");

/** A StreamTrades client that keeps every trade it is sent. */
function collectTrades(baseUrl: string) {
  const client = createServiceClient(MarketDataService, { baseUrl, caller: "test" });
  const stop = new AbortController();
  const trades: Trade[] = [];
  const done = (async () => {
    for await (const message of client.streamTrades(
      { market },
      { signal: stop.signal, timeoutMs: 3_600_000 },
    )) {
      trades.push(...message.trades);
    }
  })().catch((error: unknown) => {
    if (!stop.signal.aborted) throw error;
  });
  return {
    trades,
    async stop() {
      stop.abort();
      await done;
    },
  };
}

describe.skipIf(!dynamoEndpoint || !redisUrl)(
  "market data of a market another replica owns [dynamodb, redis]",
  () => {
    const seed = Number(process.env.MARKET_DATA_SEED ?? Date.now() % 1_000_000);
    const channelPrefix = `test-${randomUUID()}:`;
    let store: DynamoDbStore;
    let locks: RedisLockService;
    let exchange: OrderFlowExchange;
    const replicas: { service: RunningService; bus: RedisBus }[] = [];

    /** A matching replica in this process, on the shared table, locks and Redis, at a port of its own. */
    async function startReplica(): Promise<RunningService> {
      const bus = new RedisBus({ url: redisUrl ?? "", channelPrefix });
      const env = {
        BIND_HOST: "127.0.0.1",
        RPC_PORT: String(await freePort()),
        ADMIN_PORT: "0",
        LOG_LEVEL: "silent",
        SERVICE_CREDENTIAL: exchange.serviceCredential,
        MATCHING_MARKETS: market,
        MATCHING_LEASE_MS: String(LEASE_MS),
        MATCHING_CLAIM_STAGGER_MS: "0",
      };
      const service = await startService(matchingService, { env, store, locks, bus });
      replicas.push({ service, bus });
      return service;
    }

    beforeAll(async () => {
      const tableName = `mirror-${randomUUID()}`;
      const client = createDynamoDbClient({ region: "us-east-1", endpoint: dynamoEndpoint ?? undefined });
      try {
        await ensureTable(client, tableName);
      } finally {
        client.destroy();
      }
      store = new DynamoDbStore({ tableName, region: "us-east-1", endpoint: dynamoEndpoint ?? undefined });
      locks = new RedisLockService({ url: redisUrl ?? "" });
      exchange = await startOrderFlowExchange(store, locks, { markets: [market], inProcessMatching: false });
    }, 120_000);

    afterAll(async () => {
      for (const { service, bus } of replicas) {
        await service.stop();
        await bus.close();
      }
      await exchange?.stop();
      await locks?.close();
      store?.close();
    });

    it(`serves the owner's book and trades on another replica, and keeps its stream through a takeover (seed ${seed})`, async () => {
      const owner = await startReplica();
      await waitUntilOwned(matchingClient(owner.rpcUrl, exchange.serviceCredential), [market]);
      const other = await startReplica();
      const atOwner = createServiceClient(MarketDataService, { baseUrl: owner.rpcUrl, caller: "test" });
      const atOther = createServiceClient(MarketDataService, { baseUrl: other.rpcUrl, caller: "test" });

      const follower = new BookFollower(other.rpcUrl, market);
      await follower.reached(
        (await atOwner.getOrderBook({ market, depth: FULL_DEPTH })).book?.sequence ?? 0n,
      );
      const streamed = collectTrades(other.rpcUrl);
      const traders: Trader[] = await Promise.all(
        Array.from({ length: 4 }, () => exchange.trader({ USD: "10000000", ETH: "100000" })),
      );
      const random = seededRandom(seed);
      const flow = await runRandomOrders(traders, random, { market, orders: ORDERS, restingPerTrader: 20 });
      expect(flow.unexpected).toEqual([]);
      expect(flow.trades).toBeGreaterThan(0);

      const { book } = await atOwner.getOrderBook({ market, depth: FULL_DEPTH });
      await follower.reached(book?.sequence ?? 0n);
      expect(follower.replica.view()).toEqual(bookView(book));
      expect((await atOther.getOrderBook({ market, depth: FULL_DEPTH })).book).toEqual(book);

      const { trades } = await atOwner.listRecentTrades({ market, limit: 500 });
      expect(trades.length).toBeLessThan(500);
      await vi.waitFor(() => expect(streamed.trades.length).toBe(trades.length), {
        timeout: 30_000,
        interval: 50,
      });
      expect([...streamed.trades].reverse()).toEqual(trades);
      expect((await atOther.listRecentTrades({ market, limit: 500 })).trades).toEqual(trades);

      // The owner leaves (its lease released); the other replica claims the market and its stream goes on.
      const snapshotsBefore = follower.counts.snapshots;
      await owner.stop();
      await waitUntilOwned(matchingClient(other.rpcUrl, exchange.serviceCredential), [market]);
      await vi.waitFor(() => expect(follower.counts.snapshots).toBeGreaterThan(snapshotsBefore), {
        timeout: 30_000,
        interval: 50,
      });

      const more = await runRandomOrders(traders, random, { market, orders: 100, restingPerTrader: 20 });
      expect(more.unexpected).toEqual([]);
      const after = (await atOther.getOrderBook({ market, depth: FULL_DEPTH })).book;
      await follower.reached(after?.sequence ?? 0n);
      expect(follower.replica.view()).toEqual(bookView(after));
      expect(follower.counts.gaps).toBe(0);
      expect(follower.counts.serverEnds).toBe(0);
      await vi.waitFor(
        async () =>
          expect([...streamed.trades].reverse().slice(0, 500)).toEqual(
            (await atOther.listRecentTrades({ market, limit: 500 })).trades,
          ),
        { timeout: 30_000, interval: 50 },
      );
      await Promise.all([follower.stop(), streamed.stop()]);
    }, 300_000);
  },
);
