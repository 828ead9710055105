import { z } from "zod";

export { createUlidFactory, type UlidFactory } from "./ulid-factory.js";

/*
 * The shapes of the names and ids that travel between services and into storage keys, defined once so
 * that every service accepts exactly the same ones.
 */

/** An asset symbol: 1 to 15 upper-case letters and digits (BTC, USDT, 1INCH). */
export const ASSET_SYMBOL = /^[A-Z0-9]{1,15}$/;

/** A market symbol: BASE-QUOTE of two asset symbols (BTC-USD); the two groups are the base and the quote. */
export const MARKET_SYMBOL = /^([A-Z0-9]{1,15})-([A-Z0-9]{1,15})$/;

/** Ids and references callers choose: no whitespace or control characters, nothing that needs escaping in a key. */
export const IDENTIFIER = /^[A-Za-z0-9_.:-]{1,128}$/;

/** An idempotency key: an identifier of at most 64 characters. */
export const IDEMPOTENCY_KEY = /^[A-Za-z0-9_.:-]{1,64}$/;

/** A ULID (user ids, ledger entry ids): 26 characters of Crockford's base 32, upper case. */
export const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/;

/** The base and quote of a market symbol, or undefined when it is not BASE-QUOTE of two different assets. */
export function parseMarketSymbol(
  symbol: string,
): { readonly base: string; readonly quote: string } | undefined {
  const [, base, quote] = MARKET_SYMBOL.exec(symbol) ?? [];
  return base && quote && base !== quote ? { base, quote } : undefined;
}

export const assetSymbolSchema = z
  .string()
  .regex(ASSET_SYMBOL, "must be an upper-case asset symbol, e.g. BTC");

export const marketSymbolSchema = z.string().regex(MARKET_SYMBOL, "must be BASE-QUOTE, e.g. BTC-USD");

export const identifierSchema = z
  .string()
  .regex(IDENTIFIER, "must be 1 to 128 characters of [A-Za-z0-9_.:-]");

export const idempotencyKeySchema = z
  .string()
  .regex(IDEMPOTENCY_KEY, "must be 1 to 64 characters of [A-Za-z0-9_.:-]");

export const ulidSchema = z.string().regex(ULID, "must be a ULID");
