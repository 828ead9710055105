import type { Logger } from "@bourse/common";
import type { Authenticator } from "@bourse/common/auth";
import type { Store } from "@bourse/common/storage";
import type { UserEventLog } from "@bourse/trading/user-events";
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
  /** The users' execution reports, for StreamMyOrders. */
  readonly userEvents: UserEventLog;
  /** USER_STREAM_BUFFER: updates a StreamMyOrders reader may fall behind. */
  readonly streamBuffer: number;
  /** Aborted when the service stops: open streams end. */
  readonly shutdown: AbortSignal;
}
