import { type Item, toBigInt } from "@bourse/common/storage";
import { marketTradesPartition, marketTradesSortKey } from "./market-trades.js";
import {
  type AccountTradeRecord,
  accountTradeKey,
  type OrderSide,
  orderTradesPartition,
} from "./order-record.js";

/** Width of the GSI1 sort key of an account trade: its sequence, zero-padded so text order is number order. */
const SEQUENCE_DIGITS = 16;

/**
 * One side's trade as a table item; GSI1 lists the trades of one order in sequence order. The buyer's item
 * is also the market's public trade print: GSI2 lists a market's trades in sequence order (market-trades.ts).
 */
export function accountTradeToItem(record: AccountTradeRecord): Item {
  const marketIndex =
    record.side === "buy"
      ? { GSI2PK: marketTradesPartition(record.market), GSI2SK: marketTradesSortKey(record.sequence) }
      : {};
  return {
    ...accountTradeKey(record),
    GSI1PK: orderTradesPartition(record.orderId),
    GSI1SK: String(record.sequence).padStart(SEQUENCE_DIGITS, "0"),
    ...marketIndex,
    accountId: record.accountId,
    market: record.market,
    tradeId: record.tradeId,
    orderId: record.orderId,
    side: record.side,
    maker: record.maker,
    price: record.price,
    quantity: record.quantity,
    quoteAmount: record.quoteAmount,
    feeQuote: record.feeQuote,
    baseScale: record.baseScale,
    quoteScale: record.quoteScale,
    sequence: record.sequence,
    executedAt: record.executedAt.toISOString(),
  };
}

export function accountTradeFromItem(item: Item): AccountTradeRecord {
  return {
    accountId: String(item.accountId),
    market: String(item.market),
    tradeId: String(item.tradeId),
    orderId: String(item.orderId),
    side: String(item.side) as OrderSide,
    maker: item.maker === true,
    price: String(item.price),
    quantity: toBigInt(item.quantity),
    quoteAmount: toBigInt(item.quoteAmount),
    feeQuote: toBigInt(item.feeQuote),
    baseScale: Number(item.baseScale),
    quoteScale: Number(item.quoteScale),
    sequence: Number(item.sequence),
    executedAt: new Date(String(item.executedAt)),
  };
}
