import { readFileSync } from "node:fs";
import { z } from "zod";
import {
  assetNameSchema,
  assetSymbolSchema,
  categorySchema,
  coingeckoIdSchema,
  marketCapRankSchema,
  precisionSchema,
} from "../domain/asset.js";

/** The bundled seed data lives beside src/, in services/inventory/seed/. */
const seedDirectory = new URL("../../seed/", import.meta.url);

const plainDecimal = z.string().regex(/^(0|[1-9][0-9]*)(\.[0-9]+)?$/, "must be a plain decimal string");
const signedDecimal = z.string().regex(/^-?(0|[1-9][0-9]*)(\.[0-9]+)?$/, "must be a signed decimal string");

const seedAssetSchema = z.object({
  symbol: assetSymbolSchema,
  name: assetNameSchema,
  precision: precisionSchema,
  coingeckoId: coingeckoIdSchema,
  category: categorySchema,
  marketCapRank: marketCapRankSchema,
});

const seedMarketSchema = z.object({
  symbol: z.string(),
  base: assetSymbolSchema,
  quote: assetSymbolSchema,
  tickSize: plainDecimal,
  lotSize: plainDecimal,
  minQuantity: plainDecimal,
  minNotional: plainDecimal,
  makerFeeRate: plainDecimal,
  takerFeeRate: plainDecimal,
});

const snapshotSchema = z.object({
  /** The date the prices were observed: every snapshot price carries it as its time. */
  asOf: z.iso.datetime(),
  note: z.string(),
  prices: z.array(
    z.object({ symbol: assetSymbolSchema, price: plainDecimal, change24hPercent: signedDecimal }),
  ),
});

export type SeedAsset = z.infer<typeof seedAssetSchema>;
export type SeedMarket = z.infer<typeof seedMarketSchema>;
export type PriceSnapshotFile = z.infer<typeof snapshotSchema>;

function readSeedFile<Schema extends z.ZodType>(name: string, schema: Schema): z.infer<Schema> {
  const text = readFileSync(new URL(name, seedDirectory), "utf8");
  const parsed = schema.safeParse(JSON.parse(text));
  if (!parsed.success) throw new Error(`seed/${name} is invalid: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

export function readSeedAssets(): SeedAsset[] {
  return readSeedFile("assets.json", z.object({ assets: z.array(seedAssetSchema) })).assets;
}

export function readSeedMarkets(): SeedMarket[] {
  return readSeedFile("markets.json", z.object({ markets: z.array(seedMarketSchema) })).markets;
}

export function readPriceSnapshot(): PriceSnapshotFile {
  return readSeedFile("price-snapshot.json", snapshotSchema);
}
