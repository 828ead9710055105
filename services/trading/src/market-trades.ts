import { decimalScale, formatDecimal, parseDecimal } from "@bourse/common/money";
import { type Item, queryAll, type Store, toBigInt } from "@bourse/common/storage";
import type { AccountTradeRecord } from "./order-record.js";

/**
 * A market's public trade print: what happened, without who took part. Read from the buyer's account
 * trade item, which the settlement writes with the index keys below, so a trade costs no extra item.
 */
export interface MarketTradeRecord {
  readonly market: string;
  readonly tradeId: string;
  /** Matching's sequence number of the trade in its market; increases with every trade. */
  readonly sequence: number;
  /** Decimal strings. */
  readonly price: string;
  readonly quantity: string;
  readonly quoteAmount: string;
  /** The side of the incoming order: "buy" when a buyer lifted an ask, "sell" when a seller hit a bid. */
  readonly takerSide: "buy" | "sell";
  readonly executedAt: Date;
}

/** GSI2 partition of a market's trades (on the buyer's account trade item), sorted by `marketTradesSortKey`. */
export const marketTradesPartition = (market: string): string => `TRADES#${market}`;

/** The trade sequence zero-padded to 16 digits, so that text order is number order. */
export const marketTradesSortKey = (sequence: number): string => String(sequence).padStart(16, "0");

export interface RecentMarketTradesQuery {
  /** Most trades to return (newest first), or the page size when reading after a sequence. */
  readonly limit: number;
  /** Every trade after this sequence instead, oldest first, read to the end of the index. */
  readonly afterSequence?: number;
}

/**
 * A market's trades from the GSI2 index. Without `afterSequence`: the latest `limit`, newest first. With
 * it: every trade after that sequence, oldest first (read in pages of `limit`). The index is eventually
 * consistent: a trade committed a moment ago may not be listed yet.
 */
export async function readRecentMarketTrades(
  store: Store,
  market: string,
  query: RecentMarketTradesQuery,
): Promise<MarketTradeRecord[]> {
  const partition = marketTradesPartition(market);
  if (query.afterSequence === undefined) {
    const items = await queryAll(store, { index: "GSI2", partition, forward: false }, query.limit);
    return items.map(marketTradeFromItem);
  }
  const items = await queryAll(store, {
    index: "GSI2",
    partition,
    sort: { gt: marketTradesSortKey(query.afterSequence) },
    limit: query.limit,
  });
  return items.map(marketTradeFromItem);
}

/** The fields of either side's account trade that its public print needs. */
export type MarketTradeSource = Pick<
  AccountTradeRecord,
  | "market"
  | "tradeId"
  | "sequence"
  | "side"
  | "maker"
  | "price"
  | "quantity"
  | "quoteAmount"
  | "baseScale"
  | "quoteScale"
  | "executedAt"
>;

/** A price without trailing fractional zeros ("100" for "100.0" at a 0.1 tick), as the API answers amounts. */
function canonicalPrice(price: string): string {
  const scale = decimalScale(price);
  return formatDecimal(parseDecimal(price, scale), scale, { trimZeros: true });
}

/**
 * The public print of a trade from either side's view: the taker is that side unless it made. Amounts in
 * canonical form, whatever the tick and the scales.
 */
export function marketTradeOf(trade: MarketTradeSource): MarketTradeRecord {
  const opposite = trade.side === "buy" ? "sell" : "buy";
  return {
    market: trade.market,
    tradeId: trade.tradeId,
    sequence: trade.sequence,
    price: canonicalPrice(trade.price),
    quantity: formatDecimal(trade.quantity, trade.baseScale, { trimZeros: true }),
    quoteAmount: formatDecimal(trade.quoteAmount, trade.quoteScale, { trimZeros: true }),
    takerSide: trade.maker ? opposite : trade.side,
    executedAt: trade.executedAt,
  };
}

/** The public print of a buyer's account trade item. */
function marketTradeFromItem(item: Item): MarketTradeRecord {
  return marketTradeOf({
    market: String(item.market),
    tradeId: String(item.tradeId),
    sequence: Number(item.sequence),
    side: "buy",
    maker: item.maker === true,
    price: String(item.price),
    quantity: toBigInt(item.quantity),
    quoteAmount: toBigInt(item.quoteAmount),
    baseScale: Number(item.baseScale),
    quoteScale: Number(item.quoteScale),
    executedAt: new Date(String(item.executedAt)),
  });
}
