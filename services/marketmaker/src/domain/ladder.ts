import { decimalScale, formatDecimal } from "@bourse/common/money";
import { BPS, ceilDiv, commonScale, maxOf, pow10, unitsAt } from "./exact.js";
import type { LadderQuote, QuotedMarket } from "./quoted-market.js";

export interface LadderSettings {
  /** Bids and asks per side. */
  readonly levels: number;
  /** Distance of level 1 from the reference price, in basis points. */
  readonly spreadBps: number;
  /** Extra distance of each further level, in basis points. */
  readonly stepBps: number;
  /** Quote value each level aims at (decimal string); rounded up to a whole lot and to the minimums. */
  readonly levelNotional: string;
}

/**
 * The orders the market maker wants resting around `referencePrice` (a decimal string in the quote
 * asset): level k sits at (spread + (k − 1) × step) bps below the reference for bids, rounded down to
 * the tick, and as far above for asks, rounded up, so rounding never narrows the spread. Levels that
 * the tick would merge are pushed one tick apart; bids that would reach zero are left out. Every
 * amount is bigint arithmetic on the market's own units.
 */
export function buildLadder(
  market: QuotedMarket,
  referencePrice: string,
  settings: LadderSettings,
): LadderQuote[] {
  const tickScale = decimalScale(market.tickSize);
  const priceScale = commonScale(referencePrice, market.tickSize);
  const reference = unitsAt(referencePrice, priceScale);
  const tick = unitsAt(market.tickSize, priceScale);
  if (reference <= 0n) return [];
  const tickUnits = unitsAt(market.tickSize, tickScale);
  const lotsAt = levelSizer(market, settings.levelNotional);
  const quote = (side: LadderQuote["side"], level: number, ticks: bigint): LadderQuote => ({
    side,
    level,
    price: formatDecimal(ticks * tickUnits, tickScale, { trimZeros: true }),
    quantity: formatLots(lotsAt(ticks), market.lotSize),
  });

  const quotes: LadderQuote[] = [];
  let bid: bigint | undefined;
  let ask: bigint | undefined;
  for (let level = 1; level <= settings.levels; level++) {
    const offset = BigInt(settings.spreadBps + (level - 1) * settings.stepBps);
    const bidTicks = (reference * maxOf(BPS - offset, 0n)) / (BPS * tick);
    bid = bid === undefined || bidTicks < bid ? bidTicks : bid - 1n;
    if (bid >= 1n) quotes.push(quote("buy", level, bid));
    const askTicks = ceilDiv(reference * (BPS + offset), BPS * tick);
    ask = ask === undefined || askTicks > ask ? askTicks : ask + 1n;
    quotes.push(quote("sell", level, ask));
  }
  return quotes;
}

/**
 * Lots for a level priced at `ticks`: enough for the level's notional, the market's minimum notional
 * and its minimum quantity, whichever needs most. One lot at one tick is worth tick × lot.
 */
function levelSizer(market: QuotedMarket, levelNotional: string): (ticks: bigint) => bigint {
  const tickScale = decimalScale(market.tickSize);
  const lotScale = decimalScale(market.lotSize);
  const notionalScale = Math.max(
    tickScale + lotScale,
    decimalScale(levelNotional),
    decimalScale(market.minNotional),
  );
  const target = unitsAt(levelNotional, notionalScale);
  const minNotional = unitsAt(market.minNotional, notionalScale);
  const quantityScale = commonScale(market.minQuantity, market.lotSize);
  const minLots = ceilDiv(unitsAt(market.minQuantity, quantityScale), unitsAt(market.lotSize, quantityScale));
  const oneTickOneLot =
    unitsAt(market.tickSize, tickScale) *
    unitsAt(market.lotSize, lotScale) *
    pow10(notionalScale - tickScale - lotScale);
  return (ticks) => {
    const perLot = ticks * oneTickOneLot;
    return maxOf(ceilDiv(target, perLot), ceilDiv(minNotional, perLot), minLots, 1n);
  };
}

function formatLots(lots: bigint, lotSize: string): string {
  const scale = decimalScale(lotSize);
  return formatDecimal(lots * unitsAt(lotSize, scale), scale, { trimZeros: true });
}
