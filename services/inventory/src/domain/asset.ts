import { ASSET_SYMBOL } from "@bourse/common/identifiers";
import { z } from "zod";

/** An entry of the catalogue, as the service keeps it. */
export interface Asset {
  readonly symbol: string;
  readonly name: string;
  /** Fraction digits of balances and amounts; immutable, since balances are stored at this scale. */
  readonly precision: number;
  /** Empty when the asset has no CoinGecko listing (USD), and so no price. */
  readonly coingeckoId: string;
  readonly active: boolean;
  readonly category: string;
  /** 1 for the largest market capitalisation; 0 when unknown. */
  readonly marketCapRank: number;
  /** RFC 3339 UTC timestamps. */
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** The fields an admin may change; symbol and precision are fixed for the life of the asset. */
export type AssetChanges = Partial<
  Pick<Asset, "name" | "coingeckoId" | "category" | "marketCapRank" | "active">
>;

/** The symbol of the quote asset of every market. */
export const QUOTE_ASSET = "USD";

const MAX_UINT32 = 4_294_967_295;

export const assetSymbolSchema = z.string().regex(ASSET_SYMBOL, "must be 1 to 15 characters of A-Z and 0-9");
export const assetNameSchema = z
  .string()
  .min(1, "must not be empty")
  .max(64, "must be at most 64 characters")
  .refine((name) => name.trim() === name, "must not start or end with whitespace");
export const precisionSchema = z.number().int().min(0).max(18);
export const coingeckoIdSchema = z
  .string()
  .regex(/^([a-z0-9][a-z0-9.-]{0,99})?$/, "must be a CoinGecko coin id such as 'bitcoin'");
export const categorySchema = z
  .string()
  .regex(/^([a-z0-9][a-z0-9-]{0,31})?$/, "must be a lower-case slug of at most 32 characters");
export const marketCapRankSchema = z.number().int().min(0).max(MAX_UINT32);

/** Symbols arrive in any case and are matched case-insensitively. */
export function normalizeSymbol(symbol: string): string {
  return symbol.trim().toUpperCase();
}

/** True when the asset can be priced: it has a CoinGecko listing. */
export function isPriced(asset: Asset): boolean {
  return asset.coingeckoId !== "";
}

/** Applies admin changes; returns the same object when nothing actually changes. */
export function applyAssetChanges(asset: Asset, changes: AssetChanges, now: string): Asset {
  const fields = (Object.keys(changes) as (keyof AssetChanges)[]).filter(
    (field) => changes[field] !== undefined && changes[field] !== asset[field],
  );
  if (fields.length === 0) return asset;
  return { ...asset, ...Object.fromEntries(fields.map((field) => [field, changes[field]])), updatedAt: now };
}
