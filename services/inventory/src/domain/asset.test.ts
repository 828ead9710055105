import { describe, expect, it } from "vitest";
import { type Asset, applyAssetChanges } from "./asset.js";

const asset: Asset = {
  symbol: "BTC",
  name: "Bitcoin",
  precision: 8,
  coingeckoId: "bitcoin",
  active: true,
  category: "layer-1",
  marketCapRank: 1,
  createdAt: "2025-01-01T00:00:00.000Z",
  updatedAt: "2025-01-01T00:00:00.000Z",
};

describe("applyAssetChanges", () => {
  it("changes the given fields and stamps the time", () => {
    const changed = applyAssetChanges(
      asset,
      { name: "Bitcoin Core", active: false },
      "2025-02-01T00:00:00.000Z",
    );
    expect(changed).toEqual({
      ...asset,
      name: "Bitcoin Core",
      active: false,
      updatedAt: "2025-02-01T00:00:00.000Z",
    });
  });

  it("returns the same asset when nothing actually changes", () => {
    expect(
      applyAssetChanges(asset, { name: "Bitcoin", category: undefined }, "2025-02-01T00:00:00.000Z"),
    ).toBe(asset);
    expect(applyAssetChanges(asset, {}, "2025-02-01T00:00:00.000Z")).toBe(asset);
  });

  it("can clear the CoinGecko id and the category", () => {
    const changed = applyAssetChanges(asset, { coingeckoId: "", category: "", marketCapRank: 0 }, "later");
    expect(changed).toMatchObject({ coingeckoId: "", category: "", marketCapRank: 0 });
  });
});
