import type { CachedQuote, SnapshotPrice } from "./price.js";

/** How long each fallback may be served (milliseconds). */
export interface FreshnessPolicy {
  /** A fetched quote is served as `coingecko` this long after its fetch. */
  readonly freshMs: number;
  /** ... and then as `cache` this much longer, while a refresh is under way or failing. */
  readonly staleMs: number;
  /** The bundled snapshot is served as `snapshot` until it is this old; then prices are simulated. */
  readonly snapshotTtlMs: number;
}

/** The last real price known for an asset: the anchor of its simulated walk. */
export interface Anchor {
  readonly price: string;
  readonly asOf: number;
}

export type Resolution =
  | { readonly kind: "coingecko"; readonly quote: CachedQuote }
  | { readonly kind: "cache"; readonly quote: CachedQuote }
  | { readonly kind: "snapshot"; readonly snapshot: SnapshotPrice }
  | { readonly kind: "simulated"; readonly anchor: Anchor }
  | { readonly kind: "none" };

/**
 * Picks the source of one asset's price at `now`, down the chain coingecko -> cache -> snapshot -> simulated:
 * a fresh quote; else a stale one within its grace; else the bundled snapshot while it is young enough; else a
 * simulated walk anchored at the most recent real price known (an expired quote or the snapshot).
 */
export function resolvePrice(
  quote: CachedQuote | undefined,
  snapshot: SnapshotPrice | undefined,
  now: number,
  policy: FreshnessPolicy,
): Resolution {
  if (quote !== undefined) {
    const age = now - quote.fetchedAt;
    if (age < policy.freshMs) return { kind: "coingecko", quote };
    if (age < policy.freshMs + policy.staleMs) return { kind: "cache", quote };
  }
  if (snapshot !== undefined && now - snapshot.asOf < policy.snapshotTtlMs)
    return { kind: "snapshot", snapshot };
  const anchors: Anchor[] = [];
  if (quote !== undefined) anchors.push({ price: quote.price, asOf: quote.observedAt });
  if (snapshot !== undefined) anchors.push({ price: snapshot.price, asOf: snapshot.asOf });
  const latest = anchors.sort((a, b) => b.asOf - a.asOf)[0];
  return latest === undefined ? { kind: "none" } : { kind: "simulated", anchor: latest };
}
