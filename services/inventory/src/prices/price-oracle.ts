import type { Asset } from "../domain/asset.js";
import type { PricePoint, SnapshotPrice } from "../domain/price.js";
import { type FreshnessPolicy, type Resolution, resolvePrice } from "../domain/price-resolution.js";
import type { PriceCache } from "./price-cache.js";
import type { PriceMetrics } from "./price-metrics.js";
import type { SimulatedFeed } from "./simulated-feed.js";

export interface PriceOracleOptions {
  readonly cache: PriceCache;
  /** The bundled snapshot, by asset symbol. */
  readonly snapshot: ReadonlyMap<string, SnapshotPrice>;
  readonly feed: SimulatedFeed;
  readonly policy: FreshnessPolicy;
  readonly metrics: PriceMetrics;
  readonly now: () => number;
  /** Called with the CoinGecko ids whose price was stale or missing, to refresh them in the background. */
  readonly revalidate: (coingeckoIds: readonly string[]) => void;
}

/**
 * Answers "what is the price of these assets now", each with its source: one cache read for all of them, then
 * the fallback chain per asset (domain/price-resolution.ts). Stale and missing prices are served at once from
 * the next source down while a refresh is requested.
 */
export class PriceOracle {
  constructor(private readonly options: PriceOracleOptions) {}

  /** One price per asset, in order; undefined for an asset no source can price yet. */
  async pricesOf(assets: readonly Asset[]): Promise<(PricePoint | undefined)[]> {
    const { cache, snapshot, feed, policy, metrics } = this.options;
    const quotes = await cache.get(assets.map((asset) => asset.coingeckoId));
    const now = this.options.now();
    const toRevalidate: string[] = [];
    const points = assets.map((asset) => {
      const resolution = resolvePrice(quotes.get(asset.coingeckoId), snapshot.get(asset.symbol), now, policy);
      metrics.cacheLookup(
        resolution.kind === "coingecko" ? "hit" : resolution.kind === "cache" ? "stale" : "miss",
      );
      if (resolution.kind !== "coingecko") toRevalidate.push(asset.coingeckoId);
      return pointOf(asset.symbol, resolution, feed, now);
    });
    for (const point of points) {
      if (point) metrics.served(point.asset, point.source, Math.max(0, now - point.asOf) / 1000);
    }
    if (toRevalidate.length > 0) this.options.revalidate(toRevalidate);
    return points;
  }
}

function pointOf(
  asset: string,
  resolution: Resolution,
  feed: SimulatedFeed,
  now: number,
): PricePoint | undefined {
  if (resolution.kind === "coingecko" || resolution.kind === "cache") {
    const { quote } = resolution;
    return {
      asset,
      price: quote.price,
      source: resolution.kind,
      asOf: quote.observedAt,
      change24hPercent: quote.change24hPercent,
    };
  }
  if (resolution.kind === "snapshot") return { asset, ...resolution.snapshot, source: "snapshot" };
  if (resolution.kind === "simulated") {
    // Synthetic: no 24h change is claimed for it.
    return {
      asset,
      ...feed.priceAt(asset, resolution.anchor, now),
      source: "simulated",
      change24hPercent: "",
    };
  }
  return undefined;
}
