import type { MatchingService } from "@bourse/proto/bourse/matching/v1/matching_service_pb";
import type { Client } from "@connectrpc/connect";

/**
 * What the orders service needs of a market's owner. The matching service provides it in-process under
 * `context.colocated.provide(MatchingService.typeName, api)` when both run in one process; otherwise it is a
 * Connect client to the owner's URL.
 */
export type MatchingApi = Pick<
  Client<typeof MatchingService>,
  "submitOrder" | "cancelOrder" | "amendOrder" | "getBookStatus"
>;
