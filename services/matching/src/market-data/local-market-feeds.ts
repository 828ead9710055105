import { unavailable } from "@bourse/common";
import type { Store } from "@bourse/common/storage";
import { readMarketOwner } from "../store/market-owner.js";
import type { MarketDataHub } from "./market-data-hub.js";
import type { MarketFeed, MarketFeeds } from "./market-feed.js";

/**
 * Feeds of the markets this replica owns only: any other market is `unavailable`, naming its owner, whom
 * the client can ask instead. (Callers check first that the market exists.)
 */
export function localMarketFeeds(hub: MarketDataHub, store: Store): MarketFeeds {
  return {
    async feed(market: string): Promise<MarketFeed> {
      const local = hub.local(market);
      if (local !== undefined) return local;
      const owner = await readMarketOwner(store, market);
      const where = owner?.ownerUrl ? `its owner at ${owner.ownerUrl}` : "no replica owns it yet";
      throw unavailable(`market data of ${market} is not served here: ${where}; retry`);
    },
  };
}
