import { DecimalError, decimalScale, parseSteps } from "@bourse/common/money";
import type { Asset } from "./asset.js";
import { compareDecimals, isPositive } from "./decimal-math.js";

export type MarketStatus = "active" | "halted";

/** A BASE-QUOTE pair and its trading rules. Sizes and rates are plain decimal strings. */
export interface Market {
  readonly symbol: string;
  readonly base: string;
  readonly quote: string;
  readonly tickSize: string;
  readonly lotSize: string;
  readonly minQuantity: string;
  readonly minNotional: string;
  readonly makerFeeRate: string;
  readonly takerFeeRate: string;
  readonly status: MarketStatus;
  /** Why the market is halted; empty while active. */
  readonly statusReason: string;
  readonly updatedAt: string;
}

export const MAX_STATUS_REASON_LENGTH = 200;

export function marketSymbolOf(base: string, quote: string): string {
  return `${base}-${quote}`;
}

/** Market symbols arrive in any case and are matched case-insensitively. */
export function normalizeMarketSymbol(symbol: string): string {
  return symbol.trim().toUpperCase();
}

function decimalProblem(field: string, value: string): string | undefined {
  try {
    decimalScale(value);
    return undefined;
  } catch (error) {
    return `${field}: ${error instanceof DecimalError ? error.message : "is not a decimal"}`;
  }
}

/**
 * Checks that a market's rules are exact in its assets (proto/bourse/README.md): tick digits plus lot digits
 * fit the quote precision, so every price x quantity is a whole number of quote units; the lot fits the base
 * precision; the minimum quantity is a whole number of lots. Returns the problems found, none when valid.
 */
export function marketPrecisionProblems(market: Market, base: Asset, quote: Asset): string[] {
  const fields = {
    tickSize: market.tickSize,
    lotSize: market.lotSize,
    minQuantity: market.minQuantity,
    minNotional: market.minNotional,
    makerFeeRate: market.makerFeeRate,
    takerFeeRate: market.takerFeeRate,
  };
  const malformed = Object.entries(fields).flatMap(([field, value]) => decimalProblem(field, value) ?? []);
  if (malformed.length > 0) return malformed;

  const problems: string[] = [];
  if (market.symbol !== marketSymbolOf(market.base, market.quote)) problems.push("symbol must be BASE-QUOTE");
  if (market.base === market.quote) problems.push("base and quote must differ");
  for (const field of ["tickSize", "lotSize", "minQuantity", "minNotional"] as const) {
    if (!isPositive(market[field])) problems.push(`${field} must be positive`);
  }
  for (const field of ["makerFeeRate", "takerFeeRate"] as const) {
    if (compareDecimals(market[field], "1") >= 0) problems.push(`${field} must be below 1`);
  }
  if (problems.length > 0) return problems;

  const tickDigits = decimalScale(market.tickSize);
  const lotDigits = decimalScale(market.lotSize);
  if (tickDigits + lotDigits > quote.precision) {
    problems.push(
      `tick size (${tickDigits} digits) x lot size (${lotDigits} digits) exceeds ${quote.symbol} precision ${quote.precision}`,
    );
  }
  if (lotDigits > base.precision) {
    problems.push(`lot size has more digits than ${base.symbol} precision ${base.precision}`);
  }
  if (decimalScale(market.minNotional) > quote.precision) {
    problems.push(`min notional has more digits than ${quote.symbol} precision ${quote.precision}`);
  }
  try {
    parseSteps(market.minQuantity, market.lotSize);
  } catch {
    problems.push("min quantity must be a whole number of lots");
  }
  return problems;
}
