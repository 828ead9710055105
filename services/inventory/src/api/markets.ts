import { invalidArgument, notFound } from "@bourse/common";
import { MARKET_SYMBOL } from "@bourse/common/identifiers";
import {
  type GetMarketRequest,
  type GetMarketResponse,
  GetMarketResponseSchema,
  type ListMarketsRequest,
  type ListMarketsResponse,
  ListMarketsResponseSchema,
} from "@bourse/proto/bourse/inventory/v1/inventory_service_pb";
import { MarketStatus as MarketStatusEnum } from "@bourse/proto/bourse/inventory/v1/market_pb";
import { create } from "@bufbuild/protobuf";
import { assetSymbolSchema, normalizeSymbol } from "../domain/asset.js";
import { normalizeMarketSymbol } from "../domain/market.js";
import type { CatalogueDeps } from "./deps.js";
import { marketStatusToProto, marketToProto } from "./to-proto.js";

/** A market symbol in canonical case; `invalid_argument` when it cannot name a market. */
export function marketSymbolArgument(symbol: string): string {
  const normalized = normalizeMarketSymbol(symbol);
  if (!MARKET_SYMBOL.test(normalized)) throw invalidArgument("symbol must be BASE-QUOTE, e.g. BTC-USD");
  return normalized;
}

/** ListMarkets: every market by symbol, optionally one quote asset or one status. */
export async function listMarkets(
  deps: CatalogueDeps,
  request: ListMarketsRequest,
): Promise<ListMarketsResponse> {
  const quote = normalizeSymbol(request.quote);
  if (quote !== "" && !assetSymbolSchema.safeParse(quote).success) {
    throw invalidArgument("quote must be an asset symbol");
  }
  if (!(request.status in MarketStatusEnum)) throw invalidArgument("status is not a known MarketStatus");
  const markets = (await deps.markets.list()).filter(
    (market) =>
      (quote === "" || market.quote === quote) &&
      (request.status === MarketStatusEnum.UNSPECIFIED ||
        marketStatusToProto(market.status) === request.status),
  );
  return create(ListMarketsResponseSchema, { markets: markets.map(marketToProto) });
}

/** GetMarket: by symbol, any case. */
export async function getMarket(deps: CatalogueDeps, request: GetMarketRequest): Promise<GetMarketResponse> {
  const symbol = marketSymbolArgument(request.symbol);
  const market = await deps.markets.get(symbol);
  if (!market) throw notFound(`market ${symbol} not found`);
  return create(GetMarketResponseSchema, { market: marketToProto(market) });
}
