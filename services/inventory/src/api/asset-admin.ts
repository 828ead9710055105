import { notFound } from "@bourse/common";
import type {
  CreateAssetRequest,
  CreateAssetResponse,
  UpdateAssetRequest,
  UpdateAssetResponse,
} from "@bourse/proto/bourse/inventory/v1/inventory_service_pb";
import {
  CreateAssetResponseSchema,
  UpdateAssetResponseSchema,
} from "@bourse/proto/bourse/inventory/v1/inventory_service_pb";
import { create } from "@bufbuild/protobuf";
import { Code, ConnectError, type HandlerContext } from "@connectrpc/connect";
import { z } from "zod";
import {
  type Asset,
  applyAssetChanges,
  assetNameSchema,
  assetSymbolSchema,
  categorySchema,
  coingeckoIdSchema,
  marketCapRankSchema,
  normalizeSymbol,
  precisionSchema,
} from "../domain/asset.js";
import type { CatalogueDeps } from "./deps.js";
import { assetToProto } from "./to-proto.js";

const newAssetSchema = z.object({
  symbol: assetSymbolSchema,
  name: assetNameSchema,
  precision: precisionSchema,
  coingecko_id: coingeckoIdSchema,
  category: categorySchema,
  market_cap_rank: marketCapRankSchema,
  active: z.boolean(),
});

const changesSchema = z.object({
  name: assetNameSchema.optional(),
  coingecko_id: coingeckoIdSchema.optional(),
  category: categorySchema.optional(),
  market_cap_rank: marketCapRankSchema.optional(),
  active: z.boolean().optional(),
});

/** CreateAsset (admin): lists a new asset; ALREADY_EXISTS when the symbol is taken. */
export async function createAsset(
  deps: CatalogueDeps,
  request: CreateAssetRequest,
  context: HandlerContext,
): Promise<CreateAssetResponse> {
  await deps.auth.requireRole(context, "admin");
  const input = request.asset;
  const fields = newAssetSchema.parse({
    symbol: input?.symbol ?? "",
    name: input?.name ?? "",
    precision: input?.precision ?? 0,
    coingecko_id: input?.coingeckoId ?? "",
    category: input?.category ?? "",
    market_cap_rank: input?.marketCapRank ?? 0,
    active: input?.active ?? false,
  });
  const now = deps.now().toISOString();
  const asset: Asset = {
    symbol: fields.symbol,
    name: fields.name,
    precision: fields.precision,
    coingeckoId: fields.coingecko_id,
    category: fields.category,
    marketCapRank: fields.market_cap_rank,
    active: fields.active,
    createdAt: now,
    updatedAt: now,
  };
  if (!(await deps.assets.create(asset))) {
    throw new ConnectError(`asset ${asset.symbol} already exists`, Code.AlreadyExists);
  }
  return create(CreateAssetResponseSchema, { asset: assetToProto(asset) });
}

/** UpdateAsset (admin): edits, delists or relists; unset fields keep their value. */
export async function updateAsset(
  deps: CatalogueDeps,
  request: UpdateAssetRequest,
  context: HandlerContext,
): Promise<UpdateAssetResponse> {
  await deps.auth.requireRole(context, "admin");
  const symbol = normalizeSymbol(request.symbol);
  const changes = changesSchema.parse({
    name: request.name,
    coingecko_id: request.coingeckoId,
    category: request.category,
    market_cap_rank: request.marketCapRank,
    active: request.active,
  });
  const now = deps.now().toISOString();
  const asset = await deps.assets.update(symbol, (current) =>
    applyAssetChanges(
      current,
      {
        name: changes.name,
        coingeckoId: changes.coingecko_id,
        category: changes.category,
        marketCapRank: changes.market_cap_rank,
        active: changes.active,
      },
      now,
    ),
  );
  if (!asset) throw notFound(`asset ${symbol} not found`);
  return create(UpdateAssetResponseSchema, { asset: assetToProto(asset) });
}
