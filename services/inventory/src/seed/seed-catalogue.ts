import type { Asset } from "../domain/asset.js";
import { type Market, marketPrecisionProblems } from "../domain/market.js";
import type { SeedAsset, SeedMarket } from "./seed-files.js";

/** The catalogue the service starts with: bundled assets and markets, checked against each other. */
export interface SeedCatalogue {
  readonly assets: readonly SeedAsset[];
  readonly markets: readonly SeedMarket[];
}

export function seedAssetToAsset(seed: SeedAsset, now: string): Asset {
  return { ...seed, active: true, createdAt: now, updatedAt: now };
}

export function seedMarketToMarket(seed: SeedMarket, now: string): Market {
  return { ...seed, status: "active", statusReason: "", updatedAt: now };
}

/** Throws, listing every problem, unless symbols are unique and every market is exact in its assets. */
export function checkSeedCatalogue(catalogue: SeedCatalogue): void {
  const problems: string[] = [];
  const assets = new Map(catalogue.assets.map((asset) => [asset.symbol, seedAssetToAsset(asset, "")]));
  if (assets.size !== catalogue.assets.length) problems.push("asset symbols are not unique");
  const ranks = catalogue.assets.map((asset) => asset.marketCapRank).filter((rank) => rank !== 0);
  if (new Set(ranks).size !== ranks.length) problems.push("market-cap ranks are not unique");
  const marketSymbols = new Set(catalogue.markets.map((market) => market.symbol));
  if (marketSymbols.size !== catalogue.markets.length) problems.push("market symbols are not unique");
  for (const seed of catalogue.markets) {
    const base = assets.get(seed.base);
    const quote = assets.get(seed.quote);
    if (!base || !quote) {
      problems.push(`${seed.symbol}: unknown base or quote asset`);
      continue;
    }
    const market = seedMarketToMarket(seed, "");
    problems.push(
      ...marketPrecisionProblems(market, base, quote).map((problem) => `${seed.symbol}: ${problem}`),
    );
  }
  if (problems.length > 0) throw new Error(`invalid seed catalogue:\n  ${problems.join("\n  ")}`);
}
