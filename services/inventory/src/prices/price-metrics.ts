import { Counter, Gauge, type Registry } from "prom-client";
import type { CoinGeckoOutcome } from "../coingecko/coingecko-error.js";
import type { PriceSource } from "../domain/price.js";

export type CacheLookup = "hit" | "stale" | "miss";

/** Business metrics of the price path (DESIGN.md §5). */
export interface PriceMetrics {
  coingeckoCall(endpoint: string, outcome: CoinGeckoOutcome): void;
  cacheLookup(result: CacheLookup): void;
  served(asset: string, source: PriceSource, ageSeconds: number): void;
  refresh(outcome: "ok" | "failed" | "skipped"): void;
  streamOpened(): void;
  streamClosed(): void;
}

export function createPriceMetrics(registry: Registry): PriceMetrics {
  const calls = new Counter({
    name: "inventory_coingecko_requests_total",
    help: "CoinGecko requests by endpoint and outcome; budget_exhausted, circuit_open and backing_off never left the process",
    labelNames: ["endpoint", "outcome"] as const,
    registers: [registry],
  });
  const lookups = new Counter({
    name: "inventory_price_cache_lookups_total",
    help: "Price cache lookups: hit (fresh), stale (served as cache while revalidating) or miss",
    labelNames: ["result"] as const,
    registers: [registry],
  });
  const counts: Record<CacheLookup, number> = { hit: 0, stale: 0, miss: 0 };
  new Gauge({
    name: "inventory_price_cache_hit_ratio",
    help: "Fresh cache hits over all price cache lookups since the process started",
    registers: [registry],
    collect() {
      const total = counts.hit + counts.stale + counts.miss;
      this.set(total === 0 ? 0 : counts.hit / total);
    },
  });
  const served = new Counter({
    name: "inventory_prices_served_total",
    help: "Prices served, by source",
    labelNames: ["source"] as const,
    registers: [registry],
  });
  const age = new Gauge({
    name: "inventory_price_age_seconds",
    help: "Age of the price last served for each asset (now minus its as_of)",
    labelNames: ["asset", "source"] as const,
    registers: [registry],
  });
  const refreshes = new Counter({
    name: "inventory_price_refreshes_total",
    help: "Scheduled price refreshes: ok, failed, or skipped because another instance holds the refresh lease",
    labelNames: ["outcome"] as const,
    registers: [registry],
  });
  const streams = new Gauge({
    name: "inventory_price_streams",
    help: "Open StreamPrices calls",
    registers: [registry],
  });
  const lastSource = new Map<string, PriceSource>();
  return {
    coingeckoCall: (endpoint, outcome) => calls.inc({ endpoint, outcome }),
    cacheLookup(result) {
      counts[result]++;
      lookups.inc({ result });
    },
    served(asset, source, ageSeconds) {
      served.inc({ source });
      const previous = lastSource.get(asset);
      if (previous !== undefined && previous !== source) age.remove({ asset, source: previous });
      lastSource.set(asset, source);
      age.set({ asset, source }, ageSeconds);
    },
    refresh: (outcome) => refreshes.inc({ outcome }),
    streamOpened: () => streams.inc(),
    streamClosed: () => streams.dec(),
  };
}
