import { describe, expect, it } from "vitest";
import type { CachedQuote, SnapshotPrice } from "./price.js";
import { type FreshnessPolicy, resolvePrice } from "./price-resolution.js";

const policy: FreshnessPolicy = { freshMs: 60, staleMs: 300, snapshotTtlMs: 10_000 };
const quote: CachedQuote = { price: "100", change24hPercent: "1", observedAt: 5_000, fetchedAt: 5_010 };
const snapshot: SnapshotPrice = { price: "90", change24hPercent: "0", asOf: 1_000 };

describe("resolvePrice", () => {
  it("serves a fresh quote as coingecko, then as cache within the stale window", () => {
    expect(resolvePrice(quote, snapshot, 5_010, policy)).toEqual({ kind: "coingecko", quote });
    expect(resolvePrice(quote, snapshot, 5_069, policy).kind).toBe("coingecko");
    expect(resolvePrice(quote, snapshot, 5_070, policy)).toEqual({ kind: "cache", quote });
    expect(resolvePrice(quote, snapshot, 5_369, policy).kind).toBe("cache");
  });

  it("falls back to the snapshot once the quote is past its stale window, while the snapshot is young enough", () => {
    expect(resolvePrice(quote, snapshot, 5_370, policy)).toEqual({ kind: "snapshot", snapshot });
    expect(resolvePrice(undefined, snapshot, 10_999, policy)).toEqual({ kind: "snapshot", snapshot });
  });

  it("simulates from the most recent real price once the snapshot is too old", () => {
    expect(resolvePrice(quote, snapshot, 11_000, policy)).toEqual({
      kind: "simulated",
      anchor: { price: "100", asOf: 5_000 },
    });
    expect(resolvePrice(undefined, snapshot, 11_000, policy)).toEqual({
      kind: "simulated",
      anchor: { price: "90", asOf: 1_000 },
    });
    const oldQuote = { ...quote, observedAt: 500, fetchedAt: 500 };
    expect(resolvePrice(oldQuote, snapshot, 11_000, policy)).toEqual({
      kind: "simulated",
      anchor: { price: "90", asOf: 1_000 },
    });
  });

  it("has nothing to offer for an asset never priced and absent from the snapshot", () => {
    expect(resolvePrice(undefined, undefined, 0, policy)).toEqual({ kind: "none" });
  });
});
