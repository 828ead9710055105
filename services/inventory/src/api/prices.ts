import { invalidArgument, notFound, unavailable } from "@bourse/common";
import {
  type GetPricesRequest,
  type GetPricesResponse,
  GetPricesResponseSchema,
  type StreamPricesRequest,
  type StreamPricesResponse,
  StreamPricesResponseSchema,
} from "@bourse/proto/bourse/inventory/v1/inventory_service_pb";
import { type Price, PriceSchema, PriceSource } from "@bourse/proto/bourse/inventory/v1/price_pb";
import { create } from "@bufbuild/protobuf";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import type { HandlerContext } from "@connectrpc/connect";
import { type Asset, assetSymbolSchema, isPriced, normalizeSymbol } from "../domain/asset.js";
import type { PricePoint, PriceSource as Source } from "../domain/price.js";
import type { PriceMetrics } from "../prices/price-metrics.js";
import type { PriceOracle } from "../prices/price-oracle.js";
import type { AssetStore } from "../store/asset-store.js";
import { streamChanges } from "./stream-changes.js";

export const MAX_PRICED_ASSETS = 250;

export interface PriceDeps {
  readonly assets: AssetStore;
  readonly oracle: PriceOracle;
  readonly metrics: PriceMetrics;
  readonly streamIntervalMs: number;
}

const sources: Record<Source, PriceSource> = {
  coingecko: PriceSource.COINGECKO,
  cache: PriceSource.CACHE,
  snapshot: PriceSource.SNAPSHOT,
  simulated: PriceSource.SIMULATED,
};

export function priceToProto(point: PricePoint): Price {
  return create(PriceSchema, {
    asset: point.asset,
    price: point.price,
    source: sources[point.source],
    asOf: timestampFromMs(point.asOf),
    change24hPercent: point.change24hPercent,
  });
}

/**
 * The assets a price request names, checked before anything is priced: at most 250; each a known, listed
 * asset (NOT_FOUND naming the first that is not) with a CoinGecko id (INVALID_ARGUMENT otherwise, e.g. USD).
 * None named means every listed asset that can be priced, by symbol.
 */
async function requestedAssets(assets: AssetStore, symbols: readonly string[]): Promise<Asset[]> {
  if (symbols.length > MAX_PRICED_ASSETS)
    throw invalidArgument(`at most ${MAX_PRICED_ASSETS} assets per request`);
  const normalized = symbols.map(normalizeSymbol);
  for (const symbol of normalized) {
    if (!assetSymbolSchema.safeParse(symbol).success)
      throw invalidArgument(`'${symbol}' is not an asset symbol`);
  }
  const catalogue = new Map((await assets.all()).map((asset) => [asset.symbol, asset]));
  if (normalized.length === 0)
    return [...catalogue.values()].filter((asset) => asset.active && isPriced(asset));
  return normalized.map((symbol) => {
    const asset = catalogue.get(symbol);
    if (!asset?.active) throw notFound(`asset ${symbol} not found`);
    if (!isPriced(asset)) throw invalidArgument(`asset ${symbol} has no price`);
    return asset;
  });
}

/** Prices of `assets`, all of them; an asset no source can price yet fails the call when it was named. */
async function pricesFor(deps: PriceDeps, assets: readonly Asset[], named: boolean): Promise<PricePoint[]> {
  const points = await deps.oracle.pricesOf(assets);
  return points.flatMap((point, index) => {
    if (point) return [point];
    if (named) throw unavailable(`no price is known yet for ${assets[index]?.symbol}`);
    return [];
  });
}

export async function getPrices(deps: PriceDeps, request: GetPricesRequest): Promise<GetPricesResponse> {
  const assets = await requestedAssets(deps.assets, request.assets);
  const points = await pricesFor(deps, assets, request.assets.length > 0);
  return create(GetPricesResponseSchema, { prices: points.map(priceToProto) });
}

/**
 * StreamPrices: every requested price first, then only those that changed (price or source), checked once
 * per interval, so an asset is pushed at most once per interval. Ends, and is counted closed, as soon as the
 * client goes away or the server shuts down (the handler context's signal). The runtime caps the streams
 * open at once (`MAX_OPEN_STREAMS`) and refuses the next with `resource_exhausted` before this runs.
 */
export async function* streamPrices(
  deps: PriceDeps,
  request: StreamPricesRequest,
  context: HandlerContext,
): AsyncGenerator<StreamPricesResponse> {
  const assets = await requestedAssets(deps.assets, request.assets);
  const named = request.assets.length > 0;
  deps.metrics.streamOpened();
  try {
    const changes = streamChanges(
      () => pricesFor(deps, assets, named),
      deps.streamIntervalMs,
      context.signal,
    );
    for await (const points of changes) {
      yield create(StreamPricesResponseSchema, { prices: points.map(priceToProto) });
    }
  } finally {
    deps.metrics.streamClosed();
  }
}
