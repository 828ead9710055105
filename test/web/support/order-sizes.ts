import { decimalScale, formatDecimal, formatSteps, parseDecimal, parseSteps } from "@bourse/common/money";

/** What sizing an order needs of a market (the fields of inventory's Market). */
export interface MarketRules {
  readonly tickSize: string;
  readonly lotSize: string;
  readonly minQuantity: string;
  readonly minNotional: string;
}

const ceilDiv = (numerator: bigint, denominator: bigint) => (numerator + denominator - 1n) / denominator;

/** Half the best bid, on the tick: far below every quote of the market maker, so a buy there rests. */
export function restingBuyPrice(bestBid: string, market: MarketRules): string {
  return formatSteps(parseSteps(bestBid, market.tickSize, { rounding: "down" }) / 2n, market.tickSize);
}

/** 1 % above the best ask, on the tick: a buy there crosses it even if the quotes move a little meanwhile. */
export function crossingBuyPrice(bestAsk: string, market: MarketRules): string {
  const ticks = parseSteps(bestAsk, market.tickSize, { rounding: "down" });
  return formatSteps(ceilDiv(ticks * 101n, 100n), market.tickSize);
}

/** The smallest whole number of lots at `price` that meets the market's minimum quantity and notional. */
export function smallestQuantity(price: string, market: MarketRules): string {
  const scale = Math.max(
    ...[price, market.lotSize, market.minQuantity, market.minNotional].map(decimalScale),
  );
  const [units, lot, minQuantity, minNotional] = [
    price,
    market.lotSize,
    market.minQuantity,
    market.minNotional,
  ].map((text) => parseDecimal(text, scale)) as [bigint, bigint, bigint, bigint];
  // price × quantity is at twice the scale: the minimum notional is raised to it.
  const lots = [
    ceilDiv(minQuantity, lot),
    ceilDiv(minNotional * 10n ** BigInt(scale), units * lot),
    1n,
  ].reduce((most, next) => (next > most ? next : most));
  return formatDecimal(lots * lot, scale, { trimZeros: true });
}
