import {
  AmendOrderRequestSchema,
  CancelOrderRequestSchema,
  GetBookStatusRequestSchema,
  SubmitOrderRequestSchema,
} from "@bourse/proto/bourse/matching/v1/matching_service_pb";
import type { ColocatedMatchingApi } from "@bourse/trading";
import { create } from "@bufbuild/protobuf";
import type { MatchingCalls } from "./matching-handlers.js";

/**
 * MatchingService for services in the same process (`context.colocated`): the same calls as the Connect
 * handlers without the network, the serialisation or the credential check (nothing outside the process
 * can reach it). Errors are the handlers' ConnectErrors; a replica that does not own the market names
 * the owner in the error's `bourse-market-owner` metadata, so the caller can go there over the network.
 * Beyond MatchingApi, a caller in the process can ask whether this replica owns a market, and hand over
 * the order it has just stored instead of having it read back (`submitAcceptedOrder`).
 */
export function colocatedMatchingApi(calls: MatchingCalls): ColocatedMatchingApi {
  return {
    owns: (market) => calls.owns(market),
    submitAcceptedOrder: (order) => calls.submitAcceptedOrder(order),
    submitOrder: (request) => calls.submitOrder(create(SubmitOrderRequestSchema, request)),
    cancelOrder: (request) => calls.cancelOrder(create(CancelOrderRequestSchema, request)),
    amendOrder: (request) => calls.amendOrder(create(AmendOrderRequestSchema, request)),
    getBookStatus: (request) => calls.getBookStatus(create(GetBookStatusRequestSchema, request)),
  };
}
