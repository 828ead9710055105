import { invalidArgument, unavailable } from "@bourse/common";
import type { Store } from "@bourse/common/storage";
import { CandleInterval } from "@bourse/proto/bourse/marketdata/v1/candle_pb";
import {
  type GetCandlesRequest,
  type GetCandlesResponse,
  GetCandlesResponseSchema,
  type GetOrderBookRequest,
  type GetOrderBookResponse,
  GetOrderBookResponseSchema,
  type GetTickersRequest,
  type GetTickersResponse,
  GetTickersResponseSchema,
  type ListRecentTradesRequest,
  type ListRecentTradesResponse,
  ListRecentTradesResponseSchema,
  type MarketDataService,
  type StreamOrderBookRequest,
  type StreamOrderBookResponse,
  StreamOrderBookResponseSchema,
  type StreamTickersRequest,
  type StreamTickersResponse,
  StreamTickersResponseSchema,
  type StreamTradesRequest,
  type StreamTradesResponse,
  StreamTradesResponseSchema,
} from "@bourse/proto/bourse/marketdata/v1/market_data_service_pb";
import { create } from "@bufbuild/protobuf";
import { type Timestamp, timestampDate } from "@bufbuild/protobuf/wkt";
import type { HandlerContext, ServiceImpl } from "@connectrpc/connect";
import type { CandleInterval as Interval } from "../domain/candles.js";
import { type BookMessage, type BookStreamPacing, BookStreams } from "../market-data/book-stream.js";
import { type CandleQuery, readCandles } from "../market-data/history/candle-view.js";
import type { MarketDataHub } from "../market-data/market-data-hub.js";
import type { MarketDataMetrics, MarketDataStream } from "../market-data/market-data-metrics.js";
import type { MarketDirectory } from "../market-data/market-directory.js";
import type { MarketFeed, MarketFeeds } from "../market-data/market-feed.js";
import { tickerStream } from "../market-data/ticker-stream.js";
import { tradeStream } from "../market-data/trade-stream.js";
import {
  candleMessage,
  orderBookDeltaMessage,
  orderBookMessage,
  tickerMessage,
  tradeMessage,
} from "./market-data-messages.js";

export interface MarketDataLimits extends BookStreamPacing {
  /** MARKETDATA_TRADE_BUFFER. */
  readonly tradeBuffer: number;
  /** MARKETDATA_TICKER_INTERVAL_MS. */
  readonly tickerIntervalMs: number;
}

export interface MarketDataDeps {
  /** Any market's live feed (local, or mirrored from its owner). */
  readonly feeds: MarketFeeds;
  /** The markets this replica owns, whose candles include what is not flushed yet. */
  readonly hub: MarketDataHub;
  readonly directory: MarketDirectory;
  readonly store: Store;
  readonly metrics: MarketDataMetrics;
  readonly now: () => Date;
  /** Aborted when the service stops: every stream ends. */
  readonly shutdown: AbortSignal;
  readonly limits: MarketDataLimits;
}

const MAX_TICKER_MARKETS = 500;

const INTERVALS: Partial<Record<CandleInterval, Interval>> = {
  [CandleInterval.CANDLE_INTERVAL_1M]: "1m",
  [CandleInterval.CANDLE_INTERVAL_5M]: "5m",
  [CandleInterval.CANDLE_INTERVAL_15M]: "15m",
  [CandleInterval.CANDLE_INTERVAL_1H]: "1h",
  [CandleInterval.CANDLE_INTERVAL_4H]: "4h",
  [CandleInterval.CANDLE_INTERVAL_1D]: "1d",
};

/** An optional count: `fallback` when absent, else within min..max or `invalid_argument` naming the field. */
function count(field: string, value: number | undefined, min: number, max: number, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < min || value > max) {
    throw invalidArgument(`${field} must be between ${min} and ${max}`);
  }
  return value;
}

function time(field: string, value: Timestamp | undefined): Date | undefined {
  if (value === undefined) return undefined;
  const date = timestampDate(value);
  if (Number.isNaN(date.getTime()) || value.nanos < 0 || value.nanos > 999_999_999) {
    throw invalidArgument(`${field} is not a valid time`);
  }
  return date;
}

/**
 * MarketDataService: the public view of every market, without credentials. Requests are checked first
 * (`invalid_argument`, `not_found` for a market inventory does not list); books, trades and tickers come from
 * the market's feed; candles from the owner's history, or from the table for a market owned elsewhere.
 */
export function marketDataHandlers(deps: MarketDataDeps): Partial<ServiceImpl<typeof MarketDataService>> {
  const { directory, feeds, metrics } = deps;
  const feedOf = async (market: string) => feeds.feed(await directory.known(market));
  const bookStreams = new BookStreams(deps.limits, metrics);
  /** Paced readers share each tick's delta: its message is made once for all of them. */
  const deltaMessages = new WeakMap<object, StreamOrderBookResponse>();
  const bookStreamMessage = (item: BookMessage): StreamOrderBookResponse => {
    if (item.kind === "snapshot") {
      return create(StreamOrderBookResponseSchema, {
        event: { case: "snapshot", value: orderBookMessage(item.book) },
      });
    }
    let message = deltaMessages.get(item.delta);
    if (message === undefined) {
      message = create(StreamOrderBookResponseSchema, {
        event: { case: "delta", value: orderBookDeltaMessage(item.delta) },
      });
      deltaMessages.set(item.delta, message);
    }
    return message;
  };

  /** Runs a stream, counted, until the client leaves or the service stops; `unavailable` once a feed closes. */
  async function* serve<T, M>(
    stream: MarketDataStream,
    context: HandlerContext,
    used: readonly MarketFeed[],
    run: (signal: AbortSignal) => AsyncGenerator<T>,
    message: (item: T) => M,
  ): AsyncGenerator<M> {
    const closed = used.flatMap((feed) => (feed.closed === undefined ? [] : [feed.closed]));
    const signal = AbortSignal.any([context.signal, deps.shutdown, ...closed]);
    metrics.subscribers.inc({ stream });
    try {
      for await (const item of run(signal)) {
        yield message(item);
        metrics.messagesSent.inc({ stream });
      }
      if (
        closed.some((feedClosed) => feedClosed.aborted) &&
        !context.signal.aborted &&
        !deps.shutdown.aborted
      ) {
        metrics.droppedSubscribers.inc({ stream, reason: "moved" });
        throw unavailable("the market's matcher moved to another replica; subscribe again");
      }
    } finally {
      metrics.subscribers.dec({ stream });
    }
  }

  async function tickerFeeds(markets: readonly string[]): Promise<MarketFeed[]> {
    if (markets.length > MAX_TICKER_MARKETS) {
      throw invalidArgument(`markets: at most ${MAX_TICKER_MARKETS}`);
    }
    const named = markets.length > 0;
    const symbols = named
      ? await Promise.all(markets.map((market, index) => directory.known(market, `markets[${index}]`)))
      : await directory.all();
    return Promise.all([...new Set(symbols)].map((symbol) => feeds.feed(symbol)));
  }

  return {
    async getOrderBook(request: GetOrderBookRequest): Promise<GetOrderBookResponse> {
      const depth = count("depth", request.depth, 1, 1000, 100);
      const feed = await feedOf(request.market);
      return create(GetOrderBookResponseSchema, { book: orderBookMessage(feed.book(), depth) });
    },

    async *streamOrderBook(
      request: StreamOrderBookRequest,
      context: HandlerContext,
    ): AsyncGenerator<StreamOrderBookResponse> {
      const intervalMs = count(
        "update_interval_ms",
        request.updateIntervalMs,
        100,
        10_000,
        deps.limits.intervalMs,
      );
      const feed = await feedOf(request.market);
      yield* serve(
        "order_book",
        context,
        [feed],
        (signal) => bookStreams.open(feed, signal, intervalMs),
        bookStreamMessage,
      );
    },

    async listRecentTrades(request: ListRecentTradesRequest): Promise<ListRecentTradesResponse> {
      const limit = count("limit", request.limit, 1, 500, 50);
      const feed = await feedOf(request.market);
      return create(ListRecentTradesResponseSchema, {
        trades: feed.recentTrades(limit).map(tradeMessage),
      });
    },

    async *streamTrades(
      request: StreamTradesRequest,
      context: HandlerContext,
    ): AsyncGenerator<StreamTradesResponse> {
      const feed = await feedOf(request.market);
      const dropped = () => metrics.droppedSubscribers.inc({ stream: "trades", reason: "slow" });
      yield* serve(
        "trades",
        context,
        [feed],
        (signal) => tradeStream(feed, signal, deps.limits.tradeBuffer, dropped),
        (trades) => create(StreamTradesResponseSchema, { trades: trades.map(tradeMessage) }),
      );
    },

    async getCandles(request: GetCandlesRequest): Promise<GetCandlesResponse> {
      const interval = INTERVALS[request.interval];
      if (interval === undefined) throw invalidArgument("interval must be one of 1m, 5m, 15m, 1h, 4h, 1d");
      const startTime = time("start_time", request.startTime);
      const endTime = time("end_time", request.endTime);
      if (startTime !== undefined && endTime !== undefined && endTime <= startTime) {
        throw invalidArgument("end_time must be after start_time");
      }
      const limit = count("limit", request.limit, 1, 1000, 500);
      const market = await directory.known(request.market);
      const query: CandleQuery = {
        interval,
        limit,
        ...(startTime === undefined ? {} : { startTime }),
        ...(endTime === undefined ? {} : { endTime }),
      };
      const history = deps.hub.local(market)?.history;
      const candles =
        history === undefined
          ? await readCandles(deps.store, market, query, deps.now())
          : await history.candles(query);
      return create(GetCandlesResponseSchema, { candles: candles.map(candleMessage) });
    },

    async getTickers(request: GetTickersRequest): Promise<GetTickersResponse> {
      const used = await tickerFeeds(request.markets);
      const now = deps.now();
      return create(GetTickersResponseSchema, {
        tickers: used.map((feed) => tickerMessage(feed.ticker(now))),
      });
    },

    async *streamTickers(
      request: StreamTickersRequest,
      context: HandlerContext,
    ): AsyncGenerator<StreamTickersResponse> {
      const used = await tickerFeeds(request.markets);
      yield* serve(
        "tickers",
        context,
        used,
        (signal) => tickerStream(used, signal, deps.limits.tickerIntervalMs, deps.now),
        (tickers) => create(StreamTickersResponseSchema, { tickers: tickers.map(tickerMessage) }),
      );
    },
  };
}
