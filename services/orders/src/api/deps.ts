import type { Logger } from "@bourse/common";
import type { Authenticator } from "@bourse/common/auth";
import type { Store } from "@bourse/common/storage";
import type { MatchingRoute } from "../matching/matching-route.js";
import type { MarketRules } from "../store/market-rules.js";
import type { OrderStore } from "../store/order-store.js";
import type { PlacementCommitter } from "../store/placement-committer.js";

/** What the OrderService handlers work with. */
export interface OrdersDeps {
  readonly auth: Authenticator;
  readonly store: Store;
  readonly orders: OrderStore;
  /** Markets' rules for PlaceOrder, kept between orders (the other calls read the market every time). */
  readonly markets: MarketRules;
  readonly committer: PlacementCommitter;
  readonly matching: MatchingRoute;
  /** MARKET_BUY_PROTECTION: the margin over the best ask of a market buy sized in quantity. */
  readonly marketBuyProtection: string;
  readonly newOrderId: () => string;
  readonly now: () => Date;
  readonly logger: Logger;
}
