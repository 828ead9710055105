import { createHash } from "node:crypto";
import { ConditionFailedError, cond, type Store } from "@bourse/common/storage";
import { AssetStore } from "../store/asset-store.js";
import { MarketStore } from "../store/market-store.js";
import {
  checkSeedCatalogue,
  type SeedCatalogue,
  seedAssetToAsset,
  seedMarketToMarket,
} from "./seed-catalogue.js";

/** Writes in flight at once while seeding: quick on DynamoDB without a burst of throttling. */
const CONCURRENCY = 16;

export interface SeedResult {
  /** True when this exact seed had already been loaded, so nothing was written. */
  readonly alreadyLoaded: boolean;
  readonly assetsAdded: number;
  readonly marketsAdded: number;
}

async function inBatches<T>(items: readonly T[], write: (item: T) => Promise<boolean>): Promise<number> {
  let added = 0;
  for (let start = 0; start < items.length; start += CONCURRENCY) {
    const results = await Promise.all(items.slice(start, start + CONCURRENCY).map(write));
    added += results.filter(Boolean).length;
  }
  return added;
}

/**
 * Loads the bundled catalogue into the store, idempotently. Each asset and market is written only if absent,
 * so admin edits (delisting, renaming, halting) survive restarts, and several instances may start at once. A
 * marker item named by the seed's hash skips the work when this exact seed has been loaded before; a changed
 * seed (a new asset, say) is loaded again, adding only what is missing.
 */
export async function loadSeed(store: Store, catalogue: SeedCatalogue, now: string): Promise<SeedResult> {
  checkSeedCatalogue(catalogue);
  const hash = createHash("sha256").update(JSON.stringify(catalogue)).digest("hex");
  const marker = { PK: "SEED#inventory", SK: hash };
  if (await store.get(marker)) return { alreadyLoaded: true, assetsAdded: 0, marketsAdded: 0 };

  const assets = new AssetStore(store);
  const markets = new MarketStore(store);
  const assetsAdded = await inBatches(catalogue.assets, (seed) => assets.create(seedAssetToAsset(seed, now)));
  const marketsAdded = await inBatches(catalogue.markets, (seed) =>
    markets.create(seedMarketToMarket(seed, now)),
  );
  try {
    await store.put({ ...marker, loadedAt: now }, { condition: cond.notExists("PK") });
  } catch (error) {
    if (!(error instanceof ConditionFailedError)) throw error;
  }
  return { alreadyLoaded: false, assetsAdded, marketsAdded };
}
