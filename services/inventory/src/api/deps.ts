import type { Authenticator } from "@bourse/common/auth";
import type { AssetStore } from "../store/asset-store.js";
import type { MarketStore } from "../store/market-store.js";

/** What the catalogue handlers need; the clock is injectable so tests can control timestamps. */
export interface CatalogueDeps {
  readonly assets: AssetStore;
  readonly markets: MarketStore;
  readonly auth: Authenticator;
  readonly now: () => Date;
}
