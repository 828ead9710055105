import { type Asset as AssetMessage, AssetSchema } from "@bourse/proto/bourse/inventory/v1/asset_pb";
import {
  type Market as MarketMessage,
  MarketSchema,
  MarketStatus as MarketStatusEnum,
} from "@bourse/proto/bourse/inventory/v1/market_pb";
import { create } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import type { Asset } from "../domain/asset.js";
import type { Market, MarketStatus } from "../domain/market.js";

export const timestampOf = (iso: string) => timestampFromDate(new Date(iso));

export function assetToProto(asset: Asset): AssetMessage {
  return create(AssetSchema, {
    symbol: asset.symbol,
    name: asset.name,
    precision: asset.precision,
    coingeckoId: asset.coingeckoId,
    active: asset.active,
    category: asset.category,
    marketCapRank: asset.marketCapRank,
    createdAt: timestampOf(asset.createdAt),
    updatedAt: timestampOf(asset.updatedAt),
  });
}

const statusToProto: Record<MarketStatus, MarketStatusEnum> = {
  active: MarketStatusEnum.ACTIVE,
  halted: MarketStatusEnum.HALTED,
};

export function marketStatusToProto(status: MarketStatus): MarketStatusEnum {
  return statusToProto[status];
}

export function marketToProto(market: Market): MarketMessage {
  return create(MarketSchema, {
    symbol: market.symbol,
    base: market.base,
    quote: market.quote,
    tickSize: market.tickSize,
    lotSize: market.lotSize,
    minQuantity: market.minQuantity,
    minNotional: market.minNotional,
    makerFeeRate: market.makerFeeRate,
    takerFeeRate: market.takerFeeRate,
    status: marketStatusToProto(market.status),
    statusReason: market.statusReason,
    updatedAt: timestampOf(market.updatedAt),
  });
}
