/**
 * Issue #10, "Must show": candles against hand-computed OHLCV, across restarts, at the GetCandles level. Three
 * matching services take the market in turn: the first flushes its candles when it stops; the second never
 * gets a candle into the table (as if it died before its first flush); the third must count the second's
 * trades from the trade index and answer every interval exactly as computed by hand.
 */
import { randomBytes } from "node:crypto";
import { createServiceClient, type RunningService, startService } from "@bourse/common";
import { serviceCredentialInterceptor } from "@bourse/common/auth";
import { MemoryLockService } from "@bourse/common/locks";
import type { Store, TransactItem } from "@bourse/common/storage";
import { describeWithStores } from "@bourse/common/testing";
import { CandleInterval, type Candle as CandleMessage } from "@bourse/proto/bourse/marketdata/v1/candle_pb";
import { MarketDataService } from "@bourse/proto/bourse/marketdata/v1/market_data_service_pb";
import { MatchingService } from "@bourse/proto/bourse/matching/v1/matching_service_pb";
import type { TradingMarket } from "@bourse/trading";
import { timestampDate } from "@bufbuild/protobuf/wkt";
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { CANDLE_INTERVALS, type CandleInterval as Interval } from "../../domain/candles.js";
import { createMatchingService } from "../../server.js";
import { acceptOrder, newAccountId, seedMarket } from "../../testing/matching-fixtures.js";
import type { Candle } from "./candle-view.js";
import { HAND_TRADES, type HandTrade, handComputedCandles } from "./test-support/hand-computed-candles.js";

const credential = randomBytes(24).toString("hex");
const WAIT = { timeout: 20_000, interval: 50 };

const INTERVALS: Record<Interval, CandleInterval> = {
  "1m": CandleInterval.CANDLE_INTERVAL_1M,
  "5m": CandleInterval.CANDLE_INTERVAL_5M,
  "15m": CandleInterval.CANDLE_INTERVAL_15M,
  "1h": CandleInterval.CANDLE_INTERVAL_1H,
  "4h": CandleInterval.CANDLE_INTERVAL_4H,
  "1d": CandleInterval.CANDLE_INTERVAL_1D,
};

const fromMessage = (candle: CandleMessage) => ({
  openTime: candle.openTime ? timestampDate(candle.openTime).toISOString() : "",
  closeTime: candle.closeTime ? timestampDate(candle.closeTime).toISOString() : "",
  open: candle.open,
  high: candle.high,
  low: candle.low,
  close: candle.close,
  volume: candle.volume,
  quoteVolume: candle.quoteVolume,
  tradeCount: candle.tradeCount,
  closed: candle.closed,
});

const fromHand = ({ interval: _interval, openTime, closeTime, ...figures }: Candle) => ({
  openTime: openTime.toISOString(),
  closeTime: closeTime.toISOString(),
  ...figures,
});

/** A table where no candle write ever lands, as for a process that dies before its first flush. */
function losingCandleWrites(store: Store): Store {
  const writesCandles = (items: readonly TransactItem[]) =>
    items.some((item) => (item.kind === "put" ? item.item.PK : item.key.PK).startsWith("CANDLES#"));
  return new Proxy(store, {
    get(target, property, receiver) {
      if (property === "transactWrite") {
        return async (items: readonly TransactItem[]) => {
          if (writesCandles(items)) throw new Error("the process died before its candles reached the table");
          return target.transactWrite(items);
        };
      }
      const value = Reflect.get(target, property, receiver);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

describeWithStores("GetCandles across matching restarts", (store) => {
  const locks = new MemoryLockService();
  let market: TradingMarket;
  let clock = new Date(HAND_TRADES[0]?.at ?? 0);
  const running: RunningService[] = [];

  beforeAll(async () => {
    market = await seedMarket(store());
  });
  afterAll(async () => {
    for (const service of running) await service.stop();
    await locks.close();
  });

  /** A matching service owning the market, once it answers for it. */
  async function startMatching(table: Store): Promise<RunningService> {
    const service = await startService(createMatchingService({ now: () => clock }), {
      env: {
        BIND_HOST: "127.0.0.1",
        RPC_PORT: "0",
        ADMIN_PORT: "0",
        LOG_LEVEL: "silent",
        SERVICE_CREDENTIAL: credential,
        MATCHING_MARKETS: market.symbol,
        MATCHING_LEASE_MS: "1000",
      },
      store: table,
      locks,
    });
    running.push(service);
    const marketData = createServiceClient(MarketDataService, { baseUrl: service.rpcUrl, caller: "test" });
    await vi.waitFor(() => marketData.getOrderBook({ market: market.symbol }), WAIT);
    return service;
  }

  async function stopMatching(service: RunningService): Promise<void> {
    running.splice(running.indexOf(service), 1);
    await service.stop();
  }

  async function trade(service: RunningService, hand: HandTrade): Promise<void> {
    clock = new Date(hand.at);
    const matching = createServiceClient(MatchingService, {
      baseUrl: service.rpcUrl,
      caller: "test",
      interceptors: [serviceCredentialInterceptor(credential)],
    });
    const makerSide = hand.takerSide === "buy" ? "sell" : "buy";
    for (const side of [makerSide, hand.takerSide] as const) {
      const order = await acceptOrder(store(), market, {
        accountId: newAccountId(),
        side,
        price: hand.price,
        quantity: hand.quantity,
      });
      await matching.submitOrder({
        order: { orderId: order.orderId, accountId: order.accountId, market: market.symbol },
      });
    }
  }

  async function getCandles(service: RunningService, interval: Interval, limit?: number) {
    const marketData = createServiceClient(MarketDataService, { baseUrl: service.rpcUrl, caller: "test" });
    const { candles } = await marketData.getCandles({
      market: market.symbol,
      interval: INTERVALS[interval],
      limit,
    });
    return candles.map(fromMessage);
  }

  /** The hand-computed candles of the first `trades` hand trades. */
  function handComputed(interval: Interval, trades: number) {
    const lastOpen = Date.parse(HAND_TRADES[trades - 1]?.at ?? "");
    const counted = (candle: Candle) => candle.openTime.getTime() <= lastOpen;
    return handComputedCandles(interval, clock).filter(counted).map(fromHand);
  }

  it("answers the hand-computed candles of every interval after each restart", async () => {
    const [a, b, c, d, e, f] = HAND_TRADES as [
      HandTrade,
      HandTrade,
      HandTrade,
      HandTrade,
      HandTrade,
      HandTrade,
    ];
    const first = await startMatching(store());
    for (const hand of [a, b, c]) await trade(first, hand);
    await stopMatching(first);

    const second = await startMatching(losingCandleWrites(store()));
    await trade(second, d);
    await trade(second, e);
    // Its running candles answer from memory; none of them reaches the table.
    clock = new Date("2025-01-01T04:16:00.000Z");
    await vi.waitFor(async () => expect(await getCandles(second, "1h")).toEqual(handComputed("1h", 5)), WAIT);
    await stopMatching(second);

    const third = await startMatching(store());
    await trade(third, f);
    clock = new Date("2025-01-02T00:00:30.000Z");
    for (const interval of CANDLE_INTERVALS) {
      await vi.waitFor(
        async () => expect(await getCandles(third, interval)).toEqual(handComputed(interval, 6)),
        WAIT,
      );
    }
    expect(await getCandles(third, "1m", 2)).toEqual(handComputed("1m", 6).slice(-2));
  });
});
