/** Where a served price came from (DESIGN.md §2): never let a stale or synthetic price pass for a live one. */
export type PriceSource = "coingecko" | "cache" | "snapshot" | "simulated";

/** A price as served: exact decimal strings, with its source and the time it was observed or generated. */
export interface PricePoint {
  readonly asset: string;
  /** USD per unit, plain positive decimal string. */
  readonly price: string;
  readonly source: PriceSource;
  /** Epoch milliseconds: observed at the source, or generated (simulated). */
  readonly asOf: number;
  /** Signed decimal string; empty when unknown (always for simulated prices). */
  readonly change24hPercent: string;
}

/** A CoinGecko price as kept in the cache. */
export interface CachedQuote {
  readonly price: string;
  readonly change24hPercent: string;
  /** When CoinGecko observed it (epoch ms). */
  readonly observedAt: number;
  /** When we fetched it (epoch ms): freshness counts from here. */
  readonly fetchedAt: number;
}

/** A price from the bundled snapshot file; its time is the snapshot's date. */
export interface SnapshotPrice {
  readonly price: string;
  readonly change24hPercent: string;
  readonly asOf: number;
}
