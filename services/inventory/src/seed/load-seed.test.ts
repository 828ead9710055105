import { MemoryStore } from "@bourse/common/storage";
import { describe, expect, it } from "vitest";
import { AssetStore } from "../store/asset-store.js";
import { loadSeed } from "./load-seed.js";
import { checkSeedCatalogue, type SeedCatalogue } from "./seed-catalogue.js";
import { readPriceSnapshot, readSeedAssets, readSeedMarkets } from "./seed-files.js";

const catalogue: SeedCatalogue = { assets: readSeedAssets(), markets: readSeedMarkets() };

describe("the bundled seed", () => {
  it("holds at least 100 assets besides USD, each with a CoinGecko id and a snapshot price", () => {
    const priced = catalogue.assets.filter((asset) => asset.coingeckoId !== "");
    expect(priced.length).toBeGreaterThanOrEqual(100);
    const snapshot = new Set(readPriceSnapshot().prices.map((entry) => entry.symbol));
    for (const asset of priced) expect(snapshot.has(asset.symbol)).toBe(true);
    expect(catalogue.assets.find((asset) => asset.symbol === "USD")).toMatchObject({
      precision: 8,
      coingeckoId: "",
    });
  });

  it("states the date of its price snapshot", () => {
    expect(readPriceSnapshot().asOf).toBe("2025-06-30T00:00:00Z");
  });

  it("is consistent, and a broken one is refused with every problem named", () => {
    expect(() => checkSeedCatalogue(catalogue)).not.toThrow();
    const [first] = catalogue.markets;
    if (!first) throw new Error("no markets");
    const broken: SeedCatalogue = {
      assets: [...catalogue.assets, catalogue.assets[1] ?? catalogue.assets[0]].flatMap(
        (asset) => asset ?? [],
      ),
      markets: [
        { ...first, tickSize: "0.0001" },
        { ...first, symbol: "NOPE-USD", base: "NOPE" },
      ],
    };
    expect(() => checkSeedCatalogue(broken)).toThrow(
      /asset symbols are not unique[\s\S]*exceeds USD[\s\S]*unknown base/,
    );
  });
});

describe("loadSeed", () => {
  it("writes the catalogue once, skips an identical seed, and never overwrites an edit", async () => {
    const store = new MemoryStore();
    const first = await loadSeed(store, catalogue, "2025-07-01T00:00:00.000Z");
    expect(first).toEqual({
      alreadyLoaded: false,
      assetsAdded: catalogue.assets.length,
      marketsAdded: catalogue.markets.length,
    });
    expect(await loadSeed(store, catalogue, "2025-07-02T00:00:00.000Z")).toEqual({
      alreadyLoaded: true,
      assetsAdded: 0,
      marketsAdded: 0,
    });

    const assets = new AssetStore(store);
    await assets.update("BTC", (asset) => ({ ...asset, name: "Edited" }));
    const newAsset = {
      symbol: "NEWONE",
      name: "New One",
      precision: 8,
      coingeckoId: "new-one",
      category: "",
      marketCapRank: 0,
    };
    const grown: SeedCatalogue = { ...catalogue, assets: [...catalogue.assets, newAsset] };
    expect(await loadSeed(store, grown, "2025-07-03T00:00:00.000Z")).toEqual({
      alreadyLoaded: false,
      assetsAdded: 1,
      marketsAdded: 0,
    });
    expect((await assets.get("BTC"))?.name).toBe("Edited");
    expect((await assets.get("NEWONE"))?.createdAt).toBe("2025-07-03T00:00:00.000Z");
  });
});
