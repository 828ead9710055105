import { DecimalError, decimalScale, formatSteps, parseDecimal, parseSteps } from "@bourse/common/money";
import { OrderAmountError } from "./order-amount-error.js";
import type { OrderRecord } from "./order-record.js";
import type { TradingMarket } from "./trading-market.js";

/**
 * The amount rules shared by orders and matching, all exact. The engine counts prices in ticks and
 * quantities in lots; one notional unit (1 tick × 1 lot) is a whole number of quote units, because
 * inventory refuses a market whose tick and lot digits exceed the quote precision.
 */
type MarketSizes = Pick<TradingMarket, "tickSize" | "lotSize" | "baseScale" | "quoteScale">;
type MarketFees = Pick<TradingMarket, "makerFeeRate" | "takerFeeRate">;

function countSteps(
  text: string,
  step: string,
  offStep: "PRICE_NOT_ON_TICK" | "QUANTITY_NOT_ON_LOT",
): number {
  let count: bigint;
  try {
    count = parseSteps(text, step);
  } catch (error) {
    if (error instanceof DecimalError && error.code === "NOT_A_MULTIPLE") {
      throw new OrderAmountError(offStep, text, { cause: error });
    }
    throw new OrderAmountError("MALFORMED", text, { cause: error });
  }
  if (count > BigInt(Number.MAX_SAFE_INTEGER)) throw new OrderAmountError("TOO_LARGE", text);
  return Number(count);
}

/** `"100.15"` at tick size `"0.05"` is 2003 ticks. Throws {@link OrderAmountError}. */
export const priceToTicks = (price: string, market: Pick<TradingMarket, "tickSize">): number =>
  countSteps(price, market.tickSize, "PRICE_NOT_ON_TICK");

/** `"0.015"` at lot size `"0.001"` is 15 lots. Throws {@link OrderAmountError}. */
export const quantityToLots = (quantity: string, market: Pick<TradingMarket, "lotSize">): number =>
  countSteps(quantity, market.lotSize, "QUANTITY_NOT_ON_LOT");

/** The price of a tick count, with as many decimals as the tick size: 2003 ticks of `"0.05"` is `"100.15"`. */
export const ticksToPrice = (ticks: number, market: Pick<TradingMarket, "tickSize">): string =>
  formatSteps(BigInt(ticks), market.tickSize);

/** The quantity of a lot count, with as many decimals as the lot size. */
export const lotsToQuantity = (lots: number, market: Pick<TradingMarket, "lotSize">): string =>
  formatSteps(BigInt(lots), market.lotSize);

/** Base units (10^-baseScale) in `lots` lots. */
export function lotsToBaseUnits(
  lots: number | bigint,
  market: Pick<TradingMarket, "lotSize" | "baseScale">,
): bigint {
  return BigInt(lots) * parseDecimal(market.lotSize, market.baseScale);
}

/** Quote units (10^-quoteScale) in one notional unit, tick size × lot size. */
function quoteUnitsPerNotional(market: MarketSizes): bigint {
  const tickDigits = decimalScale(market.tickSize);
  const lotDigits = decimalScale(market.lotSize);
  const spareDigits = market.quoteScale - tickDigits - lotDigits;
  if (spareDigits < 0) {
    throw new RangeError(
      `tick ${market.tickSize} x lot ${market.lotSize} is finer than quote scale ${market.quoteScale}`,
    );
  }
  return (
    parseDecimal(market.tickSize, tickDigits) *
    parseDecimal(market.lotSize, lotDigits) *
    10n ** BigInt(spareDigits)
  );
}

/** Quote units of a notional counted in ticks × lots (a fill of `lots` lots at `ticks` ticks). */
export function notionalToQuoteUnits(ticksTimesLots: bigint, market: MarketSizes): bigint {
  return ticksTimesLots * quoteUnitsPerNotional(market);
}

interface Rate {
  readonly numerator: bigint;
  readonly denominator: bigint;
}

function parseRate(rate: string): Rate {
  const scale = decimalScale(rate);
  return { numerator: parseDecimal(rate, scale), denominator: 10n ** BigInt(scale) };
}

/** The fee on a trade of `quoteUnits` at `rate` (a decimal fraction), rounded down: floor(quoteUnits × rate). */
export function feeOf(quoteUnits: bigint, rate: string): bigint {
  const { numerator, denominator } = parseRate(rate);
  return (quoteUnits * numerator) / denominator;
}

/** ceil(quoteUnits × rate): what a hold reserves for fees, so that any fill's floored fee fits. */
function feeReserveOf(quoteUnits: bigint, rate: string): bigint {
  const { numerator, denominator } = parseRate(rate);
  return (quoteUnits * numerator + denominator - 1n) / denominator;
}

/** The larger of the market's maker and taker rates: a limit order may end up either. */
function highestFeeRate(market: MarketFees): string {
  const maker = parseRate(market.makerFeeRate);
  const taker = parseRate(market.takerFeeRate);
  return maker.numerator * taker.denominator >= taker.numerator * maker.denominator
    ? market.makerFeeRate
    : market.takerFeeRate;
}

export interface HoldAmount {
  readonly asset: string;
  readonly amount: bigint;
}

/**
 * What an order must hold (docs/order-flow.md, "Amounts and fees"): a buy with a price (a limit buy, or a
 * market buy sized in base and run at its protection price) holds its notional plus the fee at the higher
 * of the two rates, rounded up; a market buy sized by quote holds its budget; a sell holds its quantity.
 * Throws {@link OrderAmountError} for a price or quantity off the market's steps.
 */
export function holdFor(
  order: Pick<OrderRecord, "side" | "type" | "price" | "quantity" | "quoteAmount">,
  market: MarketSizes & MarketFees & Pick<TradingMarket, "base" | "quote">,
): HoldAmount {
  if (order.side === "sell") {
    return { asset: market.base, amount: lotsToBaseUnits(quantityToLots(order.quantity, market), market) };
  }
  if (order.price === "") {
    try {
      return { asset: market.quote, amount: parseDecimal(order.quoteAmount, market.quoteScale) };
    } catch (error) {
      throw new OrderAmountError("MALFORMED", order.quoteAmount, { cause: error });
    }
  }
  const ticks = BigInt(priceToTicks(order.price, market));
  const lots = BigInt(quantityToLots(order.quantity, market));
  const notional = notionalToQuoteUnits(ticks * lots, market);
  return { asset: market.quote, amount: notional + feeReserveOf(notional, highestFeeRate(market)) };
}

/**
 * The notional units (ticks × lots) a market buy sized by quote may trade so that its notional plus its taker
 * fees stay within its budget: the largest N with q + floor(q × takerRate) ≤ budget, q = N notional units in
 * quote. Fees are floored per fill, and a sum of floors never exceeds the floor of the sum, so the fills of
 * N notional units never cost more than the budget.
 */
export function engineQuoteBudget(
  budgetQuoteUnits: bigint,
  market: MarketSizes & Pick<TradingMarket, "takerFeeRate">,
): bigint {
  const unit = quoteUnitsPerNotional(market);
  const { numerator, denominator } = parseRate(market.takerFeeRate);
  const costOf = (notional: bigint): bigint => {
    const quote = notional * unit;
    return quote + (quote * numerator) / denominator;
  };
  // Without the floor, N = floor(budget / (unit × (1 + rate))); the floor lets at most a step or two more fit.
  let notional = (budgetQuoteUnits * denominator) / (unit * (denominator + numerator));
  while (costOf(notional + 1n) <= budgetQuoteUnits) notional += 1n;
  return notional;
}
