import type {
  MatchingService,
  SubmitOrderResponse,
} from "@bourse/proto/bourse/matching/v1/matching_service_pb";
import type { Client } from "@connectrpc/connect";
import type { OrderRecord } from "./order-record.js";

/**
 * What the orders service needs of a market's owner. The matching service provides it in-process under
 * `context.colocated.provide(MatchingService.typeName, api)` when both run in one process (as a
 * `ColocatedMatchingApi`); otherwise it is a Connect client to the owner's URL.
 */
export type MatchingApi = Pick<
  Client<typeof MatchingService>,
  "submitOrder" | "cancelOrder" | "amendOrder" | "getBookStatus"
>;

/** The in-process MatchingService, with what only a caller in the same process may use. */
export interface ColocatedMatchingApi extends MatchingApi {
  /** True while this process owns the market (its book may still be rebuilding): its calls belong here. */
  owns(market: string): boolean;
  /**
   * SubmitOrder with the stored order itself, so that matching does not read back what the caller has just
   * written. Matching trusts the record as it would its own read (only the network path must read the
   * stored order, never trusting the request), so pass only the record as the store holds it.
   */
  submitAcceptedOrder(order: OrderRecord): Promise<SubmitOrderResponse>;
}
