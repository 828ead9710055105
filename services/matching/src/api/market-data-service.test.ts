import { randomBytes } from "node:crypto";
import { createServiceClient, type RunningService, startService } from "@bourse/common";
import { serviceCredentialInterceptor } from "@bourse/common/auth";
import { MemoryLockService } from "@bourse/common/locks";
import { MAX_SCALE, parseDecimal } from "@bourse/common/money";
import { describeWithStores, rpcError } from "@bourse/common/testing";
import { CandleInterval } from "@bourse/proto/bourse/marketdata/v1/candle_pb";
import {
  MarketDataService,
  type StreamOrderBookResponse,
  type StreamTradesResponse,
} from "@bourse/proto/bourse/marketdata/v1/market_data_service_pb";
import { BookSide, type OrderBook } from "@bourse/proto/bourse/marketdata/v1/order_book_pb";
import type { Trade } from "@bourse/proto/bourse/marketdata/v1/trade_pb";
import { MatchingService } from "@bourse/proto/bourse/matching/v1/matching_service_pb";
import { Side } from "@bourse/proto/bourse/orders/v1/order_enums_pb";
import type { TradingMarket } from "@bourse/trading";
import { Code } from "@connectrpc/connect";
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { createMatchingService } from "../server.js";
import { acceptOrder, newAccountId, seedMarket } from "../testing/matching-fixtures.js";

const credential = randomBytes(24).toString("hex");
const ORDERS = 300;
const WAIT = { timeout: 20_000, interval: 50 };

/** A client's copy of a book, kept from StreamOrderBook alone, as a client must: gaps are counted, never papered over. */
class StreamedBook {
  readonly levels = new Map<string, { price: string; quantity: string; orderCount: number }>();
  sequence = -1n;
  snapshots = 0;
  gaps = 0;
  conflated = 0;

  apply(message: StreamOrderBookResponse): void {
    const { event } = message;
    if (event.case === "snapshot") {
      this.snapshots++;
      this.levels.clear();
      for (const level of event.value.bids) this.levels.set(`bid@${level.price}`, { ...level });
      for (const level of event.value.asks) this.levels.set(`ask@${level.price}`, { ...level });
      this.sequence = event.value.sequence;
    } else if (event.case === "delta") {
      const delta = event.value;
      if (delta.firstSequence !== this.sequence + 1n) {
        this.gaps++;
        return;
      }
      if (delta.sequence > delta.firstSequence) this.conflated++;
      for (const change of delta.changes) {
        const key = `${change.side === BookSide.BID ? "bid" : "ask"}@${change.price}`;
        if (change.orderCount === 0) this.levels.delete(key);
        else
          this.levels.set(key, {
            price: change.price,
            quantity: change.quantity,
            orderCount: change.orderCount,
          });
      }
      this.sequence = delta.sequence;
    }
  }

  view() {
    const side = (name: string, direction: bigint) =>
      [...this.levels.entries()]
        .filter(([key]) => key.startsWith(name))
        .map(([, level]) => level)
        .sort((a, b) => {
          const difference =
            (parseDecimal(a.price, MAX_SCALE) - parseDecimal(b.price, MAX_SCALE)) * direction;
          return difference < 0n ? -1 : difference > 0n ? 1 : 0;
        });
    return { bids: side("bid", -1n), asks: side("ask", 1n) };
  }
}

const bookOf = (book: OrderBook | undefined) => ({
  bids: (book?.bids ?? []).map(({ price, quantity, orderCount }) => ({ price, quantity, orderCount })),
  asks: (book?.asks ?? []).map(({ price, quantity, orderCount }) => ({ price, quantity, orderCount })),
});

/** A small deterministic generator, so a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1_664_525 + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
}

describeWithStores("MarketDataService", (store) => {
  let replica: RunningService;
  let market: TradingMarket;
  let other: TradingMarket;
  const locks = new MemoryLockService();

  beforeAll(async () => {
    market = await seedMarket(store());
    other = await seedMarket(store());
    replica = await startService(createMatchingService(), {
      env: {
        BIND_HOST: "127.0.0.1",
        RPC_PORT: "0",
        ADMIN_PORT: "0",
        LOG_LEVEL: "silent",
        SERVICE_CREDENTIAL: credential,
        MATCHING_MARKETS: market.symbol,
        MARKETDATA_TICKER_INTERVAL_MS: "100",
      },
      store: store(),
      locks,
    });
  });
  afterAll(async () => {
    await replica?.stop();
    await locks.close();
  });

  it("streams a book that ends equal to GetOrderBook, and answers trades and tickers to match", async () => {
    const marketData = createServiceClient(MarketDataService, { baseUrl: replica.rpcUrl, caller: "test" });
    const matching = createServiceClient(MatchingService, {
      baseUrl: replica.rpcUrl,
      caller: "test",
      interceptors: [serviceCredentialInterceptor(credential)],
    });
    await vi.waitFor(() => marketData.getOrderBook({ market: market.symbol }), WAIT);

    const streams = new AbortController();
    const streamed = new StreamedBook();
    const bookReading = (async () => {
      for await (const message of marketData.streamOrderBook(
        { market: market.symbol },
        { signal: streams.signal },
      )) {
        streamed.apply(message);
      }
    })().catch((error: unknown) => {
      if (!streams.signal.aborted) throw error;
    });
    const streamedTrades: Trade[] = [];
    const tradeReading = (async () => {
      const stream = marketData.streamTrades({ market: market.symbol }, { signal: streams.signal });
      for await (const message of stream as AsyncIterable<StreamTradesResponse>)
        streamedTrades.push(...message.trades);
    })().catch((error: unknown) => {
      if (!streams.signal.aborted) throw error;
    });
    await vi.waitFor(() => expect(streamed.snapshots).toBe(1), WAIT);

    const next = random(Number(process.env.MARKET_DATA_SEED ?? 10));
    const accounts = Array.from({ length: 4 }, () => newAccountId());
    const trades: { id: string; price: string; quantity: string; takerSide: Side }[] = [];
    const resting: { orderId: string; accountId: string }[] = [];
    for (let sent = 0; sent < ORDERS; sent += 10) {
      const group = Array.from({ length: 10 }, async () => {
        if (next() < 0.15 && resting.length > 0) {
          const [target] = resting.splice(Math.floor(next() * resting.length), 1);
          if (target === undefined) return;
          await matching.cancelOrder({ market: market.symbol, ...target }).catch(() => undefined);
          return;
        }
        const side = next() < 0.5 ? "buy" : "sell";
        const ticks = 990 + Math.floor(next() * 20);
        const order = await acceptOrder(store(), market, {
          accountId: accounts[Math.floor(next() * accounts.length)] as string,
          side,
          price: (ticks / 10).toFixed(1),
          quantity: (1 + Math.floor(next() * 30)).toFixed(1),
        });
        const { report } = await matching.submitOrder({
          order: { orderId: order.orderId, accountId: order.accountId, market: market.symbol },
        });
        for (const fill of report?.fills ?? []) {
          trades.push({
            id: fill.tradeId,
            price: fill.price,
            quantity: fill.quantity,
            takerSide: side === "buy" ? Side.BUY : Side.SELL,
          });
        }
        if ((report?.remainingQuantity ?? "0") !== "0")
          resting.push({ orderId: order.orderId, accountId: order.accountId });
      });
      await Promise.all(group);
    }
    expect(trades.length).toBeGreaterThan(10);

    const { book } = await marketData.getOrderBook({ market: market.symbol, depth: 1000 });
    await vi.waitFor(() => expect(streamed.sequence).toBe(book?.sequence), WAIT);
    expect(streamed.gaps).toBe(0);
    expect(streamed.view()).toEqual(bookOf(book));
    expect((book?.bids.length ?? 0) + (book?.asks.length ?? 0)).toBeGreaterThan(0);

    // Trades: every fill once, in sequence order on the stream, newest first in the list.
    const bySequence = (a: Trade, b: Trade) => (a.sequence < b.sequence ? -1 : 1);
    await vi.waitFor(() => expect(streamedTrades).toHaveLength(trades.length), WAIT);
    expect(streamedTrades.map((trade) => trade.sequence)).toEqual(
      [...streamedTrades].sort(bySequence).map((trade) => trade.sequence),
    );
    const expected = new Map(trades.map((trade) => [trade.id, trade]));
    for (const trade of streamedTrades) {
      const fill = expected.get(trade.id);
      expect(fill).toBeDefined();
      expect(parseDecimal(trade.price, 2)).toBe(parseDecimal(fill?.price ?? "", 2));
      expect(parseDecimal(trade.quantity, 2)).toBe(parseDecimal(fill?.quantity ?? "", 2));
      expect(trade.takerSide).toBe(fill?.takerSide);
      expect(parseDecimal(trade.quoteAmount, 4)).toBe(
        parseDecimal(trade.price, 2) * parseDecimal(trade.quantity, 2),
      );
    }
    const newest = [...streamedTrades].sort(bySequence).reverse();
    const { trades: recent } = await marketData.listRecentTrades({ market: market.symbol, limit: 20 });
    expect(recent.map((trade) => trade.id)).toEqual(newest.slice(0, 20).map((trade) => trade.id));
    const { trades: defaulted } = await marketData.listRecentTrades({ market: market.symbol });
    expect(defaulted).toHaveLength(Math.min(50, trades.length));

    // Tickers: the top of the same book, the last trade's price, 24 h figures from the same trades.
    const { tickers } = await marketData.getTickers({ markets: [market.symbol] });
    expect(tickers).toHaveLength(1);
    const ticker = tickers[0];
    expect(ticker?.bestBid).toBe(book?.bids[0]?.price ?? "");
    expect(ticker?.bestAsk).toBe(book?.asks[0]?.price ?? "");
    await vi.waitFor(async () => {
      const [again] = (await marketData.getTickers({ markets: [market.symbol] })).tickers;
      expect(again?.lastPrice).toBe(newest[0]?.price);
      const volume = streamedTrades.reduce((sum, trade) => sum + parseDecimal(trade.quantity, 2), 0n);
      expect(parseDecimal(again?.volume24h ?? "0", 2)).toBe(volume);
    }, WAIT);

    // Candles: the running minute holds the trades (the test runs within a few minutes).
    const { candles } = await marketData.getCandles({
      market: market.symbol,
      interval: CandleInterval.CANDLE_INTERVAL_1D,
    });
    expect(candles.reduce((sum, candle) => sum + candle.tradeCount, 0)).toBe(trades.length);

    streams.abort();
    await Promise.all([bookReading, tradeReading]);
  }, 180_000);

  it("refuses bad requests with invalid_argument, unknown markets with not_found, markets owned elsewhere with unavailable", async () => {
    const marketData = createServiceClient(MarketDataService, { baseUrl: replica.rpcUrl, caller: "test" });
    const code = async (call: Promise<unknown>) => (await rpcError(call)).code;
    expect(await code(marketData.getOrderBook({ market: "NOPE-USD" }))).toBe(Code.NotFound);
    expect(await code(marketData.getOrderBook({ market: "btc usd" }))).toBe(Code.InvalidArgument);
    expect(await code(marketData.getOrderBook({ market: market.symbol, depth: 0 }))).toBe(
      Code.InvalidArgument,
    );
    expect(await code(marketData.getOrderBook({ market: market.symbol, depth: 1001 }))).toBe(
      Code.InvalidArgument,
    );
    expect(await code(marketData.listRecentTrades({ market: market.symbol, limit: 501 }))).toBe(
      Code.InvalidArgument,
    );
    expect(await code(marketData.getCandles({ market: market.symbol }))).toBe(Code.InvalidArgument);
    const firstOf = (stream: AsyncIterable<unknown>) => stream[Symbol.asyncIterator]().next();
    for (const updateIntervalMs of [0, 99, 10_001]) {
      expect(
        await code(firstOf(marketData.streamOrderBook({ market: market.symbol, updateIntervalMs }))),
      ).toBe(Code.InvalidArgument);
    }
    const start = { seconds: 2_000_000_000n, nanos: 0 };
    expect(
      await code(
        marketData.getCandles({
          market: market.symbol,
          interval: CandleInterval.CANDLE_INTERVAL_1M,
          startTime: start,
          endTime: start,
        }),
      ),
    ).toBe(Code.InvalidArgument);
    expect(
      await code(
        marketData.getCandles({
          market: market.symbol,
          interval: CandleInterval.CANDLE_INTERVAL_1M,
          limit: 0,
        }),
      ),
    ).toBe(Code.InvalidArgument);
    expect(await code(marketData.getTickers({ markets: [market.symbol, "NOPE-USD"] }))).toBe(Code.NotFound);
    expect(
      await code(marketData.getTickers({ markets: Array.from({ length: 501 }, () => market.symbol) })),
    ).toBe(Code.InvalidArgument);
    // This replica does not own `other`: its candles come from the table, its live data from its owner.
    expect(await code(marketData.getOrderBook({ market: other.symbol }))).toBe(Code.Unavailable);
    const { candles } = await marketData.getCandles({
      market: other.symbol,
      interval: CandleInterval.CANDLE_INTERVAL_1M,
    });
    expect(candles).toEqual([]);
  });

  it("sends every requested ticker first, then the ticker a trade changed", async () => {
    const marketData = createServiceClient(MarketDataService, { baseUrl: replica.rpcUrl, caller: "test" });
    const matching = createServiceClient(MatchingService, {
      baseUrl: replica.rpcUrl,
      caller: "test",
      interceptors: [serviceCredentialInterceptor(credential)],
    });
    const submit = async (side: "buy" | "sell", price: string) => {
      const order = await acceptOrder(store(), market, {
        accountId: newAccountId(),
        side,
        price,
        quantity: "0.1",
      });
      await matching.submitOrder({
        order: { orderId: order.orderId, accountId: order.accountId, market: market.symbol },
      });
    };
    await submit("buy", "50.0");
    const streams = new AbortController();
    const received: string[][] = [];
    const reading = (async () => {
      const stream = marketData.streamTickers({ markets: [market.symbol] }, { signal: streams.signal });
      for await (const message of stream) received.push(message.tickers.map((ticker) => ticker.volume24h));
    })().catch((error: unknown) => {
      if (!streams.signal.aborted) throw error;
    });
    await vi.waitFor(() => expect(received).toHaveLength(1), WAIT);
    const before = parseDecimal(received[0]?.[0] ?? "0", 2);
    // A sell at the lowest price trades 0.1 with the best bid.
    await submit("sell", "0.1");
    await vi.waitFor(() => expect(received.length).toBeGreaterThan(1), WAIT);
    expect(received.at(-1)?.map((volume) => parseDecimal(volume, 2))).toEqual([before + 10n]);
    streams.abort();
    await reading;
  });
});
