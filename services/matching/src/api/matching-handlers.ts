import { invalidArgument } from "@bourse/common";
import { identifierSchema, marketSymbolSchema } from "@bourse/common/identifiers";
import {
  type AmendOrderRequest,
  type AmendOrderResponse,
  AmendOrderResponseSchema,
  BookState,
  type CancelOrderRequest,
  type CancelOrderResponse,
  CancelOrderResponseSchema,
  type GetBookStatusRequest,
  type GetBookStatusResponse,
  GetBookStatusResponseSchema,
  type MatchingService,
  type SubmitOrderRequest,
  type SubmitOrderResponse,
  SubmitOrderResponseSchema,
} from "@bourse/proto/bourse/matching/v1/matching_service_pb";
import type { OrderRecord } from "@bourse/trading";
import { create } from "@bufbuild/protobuf";
import { ConnectError, type HandlerContext, type ServiceImpl } from "@connectrpc/connect";
import type { MatchingCommand } from "../runtime/commands.js";
import { MARKET_OWNER_HEADER, type MarketOwnership } from "../runtime/market-ownership.js";
import { executionReportOf } from "./execution-report.js";

/** A field that names something: present and well formed, else `invalid_argument` naming it. */
function named(field: string, value: string, schema = identifierSchema): string {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw invalidArgument(`${field}: ${parsed.error.issues[0]?.message ?? "is invalid"}`);
  return parsed.data;
}

/**
 * MatchingService's logic, shared by the Connect handlers (which first check the service credential)
 * and the in-process API that colocated services call.
 */
export interface MatchingCalls {
  submitOrder(request: SubmitOrderRequest): Promise<SubmitOrderResponse>;
  /** In-process only: SubmitOrder with the order as its writer stored it (see `ColocatedMatchingApi`). */
  submitAcceptedOrder(order: OrderRecord): Promise<SubmitOrderResponse>;
  /** In-process only: whether this replica owns the market (its book may still be rebuilding). */
  owns(market: string): boolean;
  cancelOrder(request: CancelOrderRequest): Promise<CancelOrderResponse>;
  amendOrder(request: AmendOrderRequest): Promise<AmendOrderResponse>;
  getBookStatus(request: GetBookStatusRequest): Promise<GetBookStatusResponse>;
}

export function matchingCalls(ownership: MarketOwnership, ownerId: string): MatchingCalls {
  const run = async (market: string, command: MatchingCommand) => {
    const runner = await ownership.runner(market);
    return executionReportOf(await runner.run(command));
  };
  return {
    async submitOrder(request) {
      const order = request.order;
      if (order === undefined) throw invalidArgument("order is required");
      const market = named("order.market", order.market, marketSymbolSchema);
      const report = await run(market, {
        kind: "submit",
        orderId: named("order.order_id", order.orderId),
        accountId: named("order.account_id", order.accountId),
      });
      return create(SubmitOrderResponseSchema, { report });
    },
    async submitAcceptedOrder(order) {
      const report = await run(order.market, { kind: "submit", orderId: order.orderId, stored: order });
      return create(SubmitOrderResponseSchema, { report });
    },
    owns: (market) => ownership.state(market).kind !== "not_owned",
    async cancelOrder(request) {
      const market = named("market", request.market, marketSymbolSchema);
      const report = await run(market, {
        kind: "cancel",
        orderId: named("order_id", request.orderId),
        accountId: named("account_id", request.accountId),
      });
      return create(CancelOrderResponseSchema, { report });
    },
    async amendOrder(request) {
      const market = named("market", request.market, marketSymbolSchema);
      if (request.price === undefined && request.remainingQuantity === undefined) {
        throw invalidArgument("set price or remaining_quantity");
      }
      const report = await run(market, {
        kind: "amend",
        orderId: named("order_id", request.orderId),
        accountId: named("account_id", request.accountId),
        change: { price: request.price, remainingQuantity: request.remainingQuantity },
      });
      return create(AmendOrderResponseSchema, { report });
    },
    async getBookStatus(request) {
      const market = named("market", request.market, marketSymbolSchema);
      const state = ownership.state(market);
      if (state.kind === "not_owned") {
        const owner = await ownership.recordedOwner(market);
        return create(GetBookStatusResponseSchema, {
          market,
          state: BookState.NOT_OWNED,
          ownerId: owner?.ownerId ?? "",
        });
      }
      if (state.kind === "recovering") {
        return create(GetBookStatusResponseSchema, {
          market,
          state: BookState.RECOVERING,
          ownerId,
          fencingToken: state.fencingToken,
        });
      }
      const { book } = state.runner;
      const status = book.status();
      return create(GetBookStatusResponseSchema, {
        market,
        state: BookState.ACTIVE,
        ownerId,
        fencingToken: state.fencingToken,
        sequence: BigInt(book.seq),
        bookSequence: BigInt(book.seq),
        openOrderCount: status.openOrders,
        bestBid: status.bestBid ?? "",
        bestAsk: status.bestAsk ?? "",
      });
    },
  };
}

/**
 * The Connect handlers: every call must present the service credential (DESIGN §3.8). A replica that
 * does not own the market answers `unavailable` and names the owner in the `bourse-market-owner` header.
 */
export function matchingHandlers(
  calls: MatchingCalls,
  admit: (context: HandlerContext) => void,
): ServiceImpl<typeof MatchingService> {
  const guarded =
    <Request, Response>(call: (request: Request) => Promise<Response>) =>
    async (request: Request, context: HandlerContext): Promise<Response> => {
      admit(context);
      try {
        return await call(request);
      } catch (error) {
        const owner = error instanceof ConnectError ? error.metadata.get(MARKET_OWNER_HEADER) : null;
        if (error instanceof ConnectError && owner) {
          // A response header rather than error metadata (a trailer in gRPC), so proxies and clients see it
          // first; the client still finds it in the error's metadata, once.
          error.metadata.delete(MARKET_OWNER_HEADER);
          context.responseHeader.set(MARKET_OWNER_HEADER, owner);
        }
        throw error;
      }
    };
  return {
    submitOrder: guarded(calls.submitOrder),
    cancelOrder: guarded(calls.cancelOrder),
    amendOrder: guarded(calls.amendOrder),
    getBookStatus: guarded(calls.getBookStatus),
  };
}
