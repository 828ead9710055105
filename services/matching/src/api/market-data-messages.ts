import { type Candle as CandleMessage, CandleSchema } from "@bourse/proto/bourse/marketdata/v1/candle_pb";
import {
  BookSide,
  LevelChangeSchema,
  type OrderBook,
  type OrderBookDelta,
  OrderBookDeltaSchema,
  OrderBookSchema,
  PriceLevelSchema,
} from "@bourse/proto/bourse/marketdata/v1/order_book_pb";
import { type Ticker, TickerSchema } from "@bourse/proto/bourse/marketdata/v1/ticker_pb";
import { type Trade, TradeSchema } from "@bourse/proto/bourse/marketdata/v1/trade_pb";
import { Side } from "@bourse/proto/bourse/orders/v1/order_enums_pb";
import { create } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { canonicalDecimal } from "../domain/level-state.js";
import type { Candle } from "../market-data/history/candle-view.js";
import type {
  BookDelta,
  BookSnapshot,
  LevelState,
  PublicTrade,
  TickerState,
} from "../market-data/market-feed.js";

/** Market data as the proto carries it. Decimals in canonical form, whichever replica produced them. */

const priceLevel = (level: LevelState) =>
  create(PriceLevelSchema, {
    price: level.price,
    quantity: level.quantity,
    orderCount: level.orderCount,
  });

export function orderBookMessage(book: BookSnapshot, depth = Number.POSITIVE_INFINITY): OrderBook {
  return create(OrderBookSchema, {
    market: book.market,
    sequence: book.sequence,
    bids: book.bids.slice(0, depth).map(priceLevel),
    asks: book.asks.slice(0, depth).map(priceLevel),
    asOf: timestampFromDate(book.asOf),
  });
}

export function orderBookDeltaMessage(delta: BookDelta): OrderBookDelta {
  return create(OrderBookDeltaSchema, {
    market: delta.market,
    firstSequence: delta.firstSequence,
    sequence: delta.sequence,
    changes: delta.changes.map((change) =>
      create(LevelChangeSchema, {
        side: change.side === "buy" ? BookSide.BID : BookSide.ASK,
        price: change.price,
        quantity: change.quantity,
        orderCount: change.orderCount,
      }),
    ),
    asOf: timestampFromDate(delta.asOf),
  });
}

export function tradeMessage(trade: PublicTrade): Trade {
  return create(TradeSchema, {
    id: trade.tradeId,
    market: trade.market,
    price: canonicalDecimal(trade.price),
    quantity: canonicalDecimal(trade.quantity),
    quoteAmount: canonicalDecimal(trade.quoteAmount),
    takerSide: trade.takerSide === "buy" ? Side.BUY : Side.SELL,
    sequence: BigInt(trade.sequence),
    executedAt: timestampFromDate(trade.executedAt),
  });
}

export function tickerMessage(ticker: TickerState): Ticker {
  return create(TickerSchema, {
    market: ticker.market,
    lastPrice: ticker.lastPrice ?? "",
    bestBid: ticker.bestBid ?? "",
    bestAsk: ticker.bestAsk ?? "",
    open24h: ticker.open24h ?? "",
    high24h: ticker.high24h ?? "",
    low24h: ticker.low24h ?? "",
    volume24h: ticker.volume24h,
    quoteVolume24h: ticker.quoteVolume24h,
    change24hPercent: ticker.change24hPercent ?? "",
    asOf: timestampFromDate(ticker.asOf),
  });
}

export function candleMessage(candle: Candle): CandleMessage {
  return create(CandleSchema, {
    openTime: timestampFromDate(candle.openTime),
    closeTime: timestampFromDate(candle.closeTime),
    open: candle.open,
    high: candle.high,
    low: candle.low,
    close: candle.close,
    volume: candle.volume,
    quoteVolume: candle.quoteVolume,
    tradeCount: candle.tradeCount,
    closed: candle.closed,
  });
}
