import { invalidArgument, notFound } from "@bourse/common";
import {
  type SetMarketStatusRequest,
  type SetMarketStatusResponse,
  SetMarketStatusResponseSchema,
} from "@bourse/proto/bourse/inventory/v1/inventory_service_pb";
import { MarketStatus as MarketStatusEnum } from "@bourse/proto/bourse/inventory/v1/market_pb";
import { create } from "@bufbuild/protobuf";
import type { HandlerContext } from "@connectrpc/connect";
import { MAX_STATUS_REASON_LENGTH, type MarketStatus } from "../domain/market.js";
import type { CatalogueDeps } from "./deps.js";
import { marketSymbolArgument } from "./markets.js";
import { marketToProto } from "./to-proto.js";

function statusArgument(request: SetMarketStatusRequest): { status: MarketStatus; reason: string } {
  switch (request.status) {
    case MarketStatusEnum.HALTED:
      if (request.reason.length < 1 || request.reason.length > MAX_STATUS_REASON_LENGTH) {
        throw invalidArgument(
          `reason is required to halt a market, 1 to ${MAX_STATUS_REASON_LENGTH} characters`,
        );
      }
      return { status: "halted", reason: request.reason };
    case MarketStatusEnum.ACTIVE:
      if (request.reason !== "") throw invalidArgument("reason must be empty when resuming a market");
      return { status: "active", reason: "" };
    default:
      throw invalidArgument("status must be MARKET_STATUS_ACTIVE or MARKET_STATUS_HALTED");
  }
}

/**
 * SetMarketStatus (admin): halts or resumes a market. Setting the current status again changes nothing, so a
 * retried halt keeps the first reason and time. Orders and matching read the status through GetMarket.
 */
export async function setMarketStatus(
  deps: CatalogueDeps,
  request: SetMarketStatusRequest,
  context: HandlerContext,
): Promise<SetMarketStatusResponse> {
  await deps.auth.requireRole(context, "admin");
  const symbol = marketSymbolArgument(request.symbol);
  const { status, reason } = statusArgument(request);
  const now = deps.now().toISOString();
  const market = await deps.markets.update(symbol, (current) =>
    current.status === status ? current : { ...current, status, statusReason: reason, updatedAt: now },
  );
  if (!market) throw notFound(`market ${symbol} not found`);
  return create(SetMarketStatusResponseSchema, { market: marketToProto(market) });
}
