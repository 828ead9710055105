import { compareDecimals, multiplyDecimals } from "./decimal-math.js";
import type { Market } from "./market.js";

/** The coarsest tick allowed, as a fraction of the price: 0.1%. */
const MAX_TICK_PER_PRICE = "0.001";
/** The finest tick allowed, as a fraction of the price: one millionth of a percent. */
const MIN_TICK_PER_PRICE = "0.00000001";
const MIN_NOTIONAL_RANGE = ["1", "100"] as const;

/**
 * Checks that a market's sizes suit a price of its base asset: the tick is between 1e-8 and 0.1% of the
 * price; one lot and the minimum quantity are each worth no more than the minimum notional (so every order
 * size from the minimum up is reachable in lot steps); the minimum notional is between 1 and 100 USD.
 * Returns the problems found, none when sensible.
 */
export function marketSizingProblems(market: Market, price: string): string[] {
  const problems: string[] = [];
  if (compareDecimals(market.tickSize, multiplyDecimals(price, MAX_TICK_PER_PRICE)) > 0) {
    problems.push(`tick size ${market.tickSize} is coarser than 0.1% of ${price}`);
  }
  if (compareDecimals(market.tickSize, multiplyDecimals(price, MIN_TICK_PER_PRICE)) < 0) {
    problems.push(`tick size ${market.tickSize} is finer than 1e-8 of ${price}`);
  }
  for (const field of ["lotSize", "minQuantity"] as const) {
    const value = multiplyDecimals(market[field], price);
    if (compareDecimals(value, market.minNotional) > 0) {
      problems.push(`${field} is worth ${value}, above the minimum notional ${market.minNotional}`);
    }
  }
  const [low, high] = MIN_NOTIONAL_RANGE;
  if (compareDecimals(market.minNotional, low) < 0 || compareDecimals(market.minNotional, high) > 0) {
    problems.push(`min notional ${market.minNotional} is outside ${low} to ${high}`);
  }
  return problems;
}
