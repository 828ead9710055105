import { decimalScale, formatDecimal, parseDecimal } from "@bourse/common/money";
import { lotsToQuantity, type TradingMarket, ticksToPrice } from "@bourse/trading";
import type { BookSide, LevelState } from "../market-data/market-feed.js";

/** A decimal without trailing fractional zeros ("100", "0.5"), as the API answers amounts. */
export function canonicalDecimal(text: string): string {
  const scale = decimalScale(text);
  return formatDecimal(parseDecimal(text, scale), scale, { trimZeros: true });
}

/** One aggregated level as market data shows it: price and total in canonical decimals, "0" when gone. */
export function levelState(
  side: BookSide,
  ticks: number,
  lots: number,
  orderCount: number,
  market: TradingMarket,
): LevelState {
  return {
    side,
    price: canonicalDecimal(ticksToPrice(ticks, market)),
    quantity: canonicalDecimal(lotsToQuantity(lots, market)),
    orderCount,
  };
}
