import { PriceSource } from "@bourse/proto/bourse/inventory/v1/price_pb";

export interface PriceSourceLabel {
  /** Short badge text. */
  readonly label: string;
  /** What the badge means, for its title and screen readers. */
  readonly description: string;
  /** Whether the price is a real market price of the moment; stale and synthetic ones are flagged. */
  readonly live: boolean;
}

/** Says honestly where a price came from, so a snapshot or simulated price is never taken for a live one. */
export function describePriceSource(source: PriceSource): PriceSourceLabel {
  switch (source) {
    case PriceSource.COINGECKO:
      return { label: "Live", description: "CoinGecko price from the latest refresh", live: true };
    case PriceSource.CACHE:
      return {
        label: "Cached",
        description: "CoinGecko price older than its cache lifetime, shown while a refresh is pending",
        live: false,
      };
    case PriceSource.SNAPSHOT:
      return {
        label: "Snapshot",
        description: "Bundled snapshot price, CoinGecko unreachable; dated at the snapshot",
        live: false,
      };
    case PriceSource.SIMULATED:
      return {
        label: "Simulated",
        description: "Synthetic random-walk price, not a market price",
        live: false,
      };
    case PriceSource.LAST_TRADE:
      return { label: "Last trade", description: "Price of the last trade on this exchange", live: true };
    case PriceSource.UNSPECIFIED:
      return { label: "—", description: "No price source", live: false };
  }
}
