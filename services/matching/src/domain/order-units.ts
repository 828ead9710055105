import { parseDecimal } from "@bourse/common/money";
import {
  engineQuoteBudget,
  lotsToBaseUnits,
  notionalToQuoteUnits,
  type OrderRecord,
  quantityToLots,
  type TradingMarket,
} from "@bourse/trading";

/**
 * An order's amounts in engine units (ticks, lots, notional units), from its stored record. Fills are whole
 * lots at whole ticks, so the progress fields of a record always divide exactly.
 */

/**
 * The market as the order was placed: its fee rates are the ones its hold was sized with, so they are the
 * ones its fills pay, even if the market's rates changed since.
 */
export const atOrderRates = (market: TradingMarket, order: OrderRecord): TradingMarket => ({
  ...market,
  makerFeeRate: order.makerFeeRate,
  takerFeeRate: order.takerFeeRate,
});

export const filledLots = (order: OrderRecord, market: TradingMarket): number =>
  Number(order.filledBase / lotsToBaseUnits(1, market));

/** Lots still to trade of an order sized in base. Throws OrderAmountError for a quantity off the lot. */
export const remainingLots = (order: OrderRecord, market: TradingMarket): number =>
  quantityToLots(order.quantity, market) - filledLots(order, market);

/** Whether the order is a market buy sized by its quote budget rather than by a base quantity. */
export const isSizedByQuote = (order: OrderRecord): boolean =>
  order.quantity === "" && order.quoteAmount !== "";

/**
 * The notional units a market buy sized by quote may still spend: the engine budget of its whole quote
 * budget, less what its fills spent. A resumed order therefore continues exactly where the interrupted
 * sweep would have, and its fills never cost more than its budget in total (see `engineQuoteBudget`).
 * Throws DecimalError for a malformed budget.
 */
export function remainingEngineBudget(order: OrderRecord, market: TradingMarket): bigint {
  const budget = parseDecimal(order.quoteAmount, market.quoteScale);
  const whole = engineQuoteBudget(budget, atOrderRates(market, order));
  const spent = order.filledQuote / notionalToQuoteUnits(1n, market);
  return whole > spent ? whole - spent : 0n;
}
