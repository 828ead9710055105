import { invalidArgument, notFound } from "@bourse/common";
import {
  type GetAssetRequest,
  type GetAssetResponse,
  GetAssetResponseSchema,
} from "@bourse/proto/bourse/inventory/v1/inventory_service_pb";
import { create } from "@bufbuild/protobuf";
import type { HandlerContext } from "@connectrpc/connect";
import { assetSymbolSchema, normalizeSymbol } from "../domain/asset.js";
import { callerIsAdmin } from "./caller.js";
import type { CatalogueDeps } from "./deps.js";
import { assetToProto } from "./to-proto.js";

/** GetAsset: by symbol, any case. A delisted asset is NOT_FOUND except to admins. */
export async function getAsset(
  deps: CatalogueDeps,
  request: GetAssetRequest,
  context: HandlerContext,
): Promise<GetAssetResponse> {
  const symbol = normalizeSymbol(request.symbol);
  if (!assetSymbolSchema.safeParse(symbol).success) {
    throw invalidArgument("symbol must be 1 to 15 characters of A-Z and 0-9");
  }
  const asset = await deps.assets.get(symbol);
  if (!asset || (!asset.active && !(await callerIsAdmin(deps.auth, context)))) {
    throw notFound(`asset ${symbol} not found`);
  }
  return create(GetAssetResponseSchema, { asset: assetToProto(asset) });
}
