import { formatDecimal } from "@bourse/common/money";
import type { SettlementParty, TradeToSettle } from "@bourse/ledger";
import {
  type AccountTradeRecord,
  feeOf,
  lotsToBaseUnits,
  lotsToQuantity,
  notionalToQuoteUnits,
  type OrderRecord,
  type TradingMarket,
  ticksToPrice,
} from "@bourse/trading";
import type { TradeEvent } from "./events.js";
import { closeRelease, doneOrder } from "./order-close.js";
import type { FillStep } from "./outcome.js";

/**
 * One engine trade as settlement needs it (DESIGN §3, docs/order-flow.md): at the maker's price, each side
 * paying its own fee rate on the trade's quote amount, floored, in quote; the trade id is its sequence.
 *
 * The maker's state after the fill is final when it left the book (FILLED, its hold released here). The
 * taker's is its progress so far, still open and without a book sequence, which is what settlement writes
 * if the command's outcome is cut after this step; the command's closing gives the taker its final state.
 */
export function fillStep(
  event: TradeEvent,
  maker: OrderRecord,
  taker: OrderRecord,
  market: TradingMarket,
  now: Date,
): FillStep {
  const base = lotsToBaseUnits(event.quantity, market);
  const quote = notionalToQuoteUnits(BigInt(event.price) * BigInt(event.quantity), market);
  const makerFee = feeOf(quote, maker.makerFeeRate);
  const takerFee = feeOf(quote, taker.takerFeeRate);
  const makerDone = event.makerRemaining === 0;

  const makerFilled: OrderRecord = {
    ...maker,
    status: "PARTIALLY_FILLED",
    filledBase: maker.filledBase + base,
    filledQuote: maker.filledQuote + quote,
    feeQuote: maker.feeQuote + makerFee,
    updatedAt: now,
  };
  const makerAfter = makerDone ? doneOrder(makerFilled, { status: "FILLED" }, now) : makerFilled;
  const { bookSeq: _notInBook, ...takerBefore } = taker;
  const takerAfter: OrderRecord = {
    ...takerBefore,
    status: "PARTIALLY_FILLED",
    filledBase: taker.filledBase + base,
    filledQuote: taker.filledQuote + quote,
    feeQuote: taker.feeQuote + takerFee,
    updatedAt: now,
  };

  const price = ticksToPrice(event.price, market);
  const tradeId = String(event.seq);
  const party = (order: OrderRecord, isMaker: boolean, fee: bigint): SettlementParty => ({
    accountId: order.accountId,
    orderId: order.orderId,
    holdReferenceId: order.orderId,
    maker: isMaker,
    fee: formatDecimal(fee, market.quoteScale, { trimZeros: true }),
  });
  const view = (order: OrderRecord, isMaker: boolean, fee: bigint): AccountTradeRecord => ({
    accountId: order.accountId,
    market: market.symbol,
    tradeId,
    orderId: order.orderId,
    side: order.side,
    maker: isMaker,
    price,
    quantity: base,
    quoteAmount: quote,
    feeQuote: fee,
    baseScale: market.baseScale,
    quoteScale: market.quoteScale,
    sequence: event.seq,
    executedAt: now,
  });
  const takerBuys = event.takerSide === "buy";
  const [buyer, seller] = takerBuys
    ? [party(taker, false, takerFee), party(maker, true, makerFee)]
    : [party(maker, true, makerFee), party(taker, false, takerFee)];
  const [buyerView, sellerView] = takerBuys
    ? [view(taker, false, takerFee), view(maker, true, makerFee)]
    : [view(maker, true, makerFee), view(taker, false, takerFee)];
  const trade: TradeToSettle = {
    tradeId,
    market: market.symbol,
    sequence: BigInt(event.seq),
    price,
    quantity: lotsToQuantity(event.quantity, market),
    quoteAmount: formatDecimal(quote, market.quoteScale, { trimZeros: true }),
    executedAt: now,
    buyer,
    seller,
  };
  return {
    trade,
    makerAfter,
    takerAfter,
    accountTrades: [buyerView, sellerView],
    releases: makerDone ? [closeRelease(makerAfter)] : [],
  };
}
