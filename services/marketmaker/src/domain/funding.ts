import { decimalScale, formatDecimal } from "@bourse/common/money";
import { ceilDiv, maxOf, pow10, unitsAt } from "./exact.js";
import type { LadderQuote, QuotedMarket } from "./quoted-market.js";

/** An exact amount of one asset: `units` of 10^-scale. */
export interface AssetAmount {
  readonly asset: string;
  readonly scale: number;
  readonly units: bigint;
}

/** Funding brings an asset back up to this many times what the ladders reserve ... */
export const FUNDING_TARGET_MULTIPLE = 4n;
/** ... once what the account has falls under this many times. */
export const FUNDING_LOW_WATER_MULTIPLE = 2n;

/**
 * What resting the whole ladder reserves, at most: its asks hold their base quantity; its bids hold
 * price × quantity plus the fee at the higher of the two rates, rounded up (the orders service holds
 * the same, rounded at the quote asset's precision, which is never coarser than tick × lot).
 */
export function ladderReserve(market: QuotedMarket, ladder: readonly LadderQuote[]): AssetAmount[] {
  const tickScale = decimalScale(market.tickSize);
  const lotScale = decimalScale(market.lotSize);
  const rateScale = Math.max(decimalScale(market.makerFeeRate), decimalScale(market.takerFeeRate));
  const feeRate = maxOf(unitsAt(market.makerFeeRate, rateScale), unitsAt(market.takerFeeRate, rateScale));
  const notionalScale = tickScale + lotScale;
  let quote = 0n;
  let base = 0n;
  for (const level of ladder) {
    const quantity = unitsAt(level.quantity, lotScale);
    if (level.side === "sell") {
      base += quantity;
      continue;
    }
    const notional = unitsAt(level.price, tickScale) * quantity;
    quote += notional + ceilDiv(notional * feeRate, pow10(rateScale));
  }
  return [
    { asset: market.quote, scale: notionalScale, units: quote },
    { asset: market.base, scale: lotScale, units: base },
  ];
}

/** Adds up amounts of the same asset (two USD markets share one USD balance). */
export function totalByAsset(amounts: readonly AssetAmount[]): AssetAmount[] {
  const totals = new Map<string, AssetAmount>();
  for (const amount of amounts) {
    const seen = totals.get(amount.asset);
    if (!seen) {
      totals.set(amount.asset, amount);
      continue;
    }
    const scale = Math.max(seen.scale, amount.scale);
    const units = seen.units * pow10(scale - seen.scale) + amount.units * pow10(scale - amount.scale);
    totals.set(amount.asset, { asset: amount.asset, scale, units });
  }
  return [...totals.values()];
}

/**
 * The deposits that bring each asset whose balance (available + held, a decimal string; absent
 * means none) fell under the low-water mark back to the funding target, as decimal strings exact
 * at the asset's ladder scale.
 */
export function topUps(
  reserves: readonly AssetAmount[],
  balances: ReadonlyMap<string, string>,
): Array<{ asset: string; amount: string }> {
  const deposits: Array<{ asset: string; amount: string }> = [];
  for (const reserve of reserves) {
    if (reserve.units === 0n) continue;
    const balance = balances.get(reserve.asset) ?? "0";
    const scale = Math.max(reserve.scale, decimalScale(balance));
    const has = unitsAt(balance, scale);
    const needs = reserve.units * pow10(scale - reserve.scale);
    if (has >= needs * FUNDING_LOW_WATER_MULTIPLE) continue;
    const missing = needs * FUNDING_TARGET_MULTIPLE - has;
    // Rounded up to the ladder's scale, which the asset's precision always allows.
    const amount = ceilDiv(missing, pow10(scale - reserve.scale));
    deposits.push({
      asset: reserve.asset,
      amount: formatDecimal(amount, reserve.scale, { trimZeros: true }),
    });
  }
  return deposits;
}
