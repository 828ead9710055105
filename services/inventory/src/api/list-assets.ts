import { invalidArgument } from "@bourse/common";
import {
  AssetSort,
  type ListAssetsRequest,
  type ListAssetsResponse,
  ListAssetsResponseSchema,
} from "@bourse/proto/bourse/inventory/v1/inventory_service_pb";
import { create } from "@bufbuild/protobuf";
import type { HandlerContext } from "@connectrpc/connect";
import { categorySchema } from "../domain/asset.js";
import type { AssetFilter } from "../domain/asset-filter.js";
import { type AssetOrder, sortKeyOf } from "../domain/asset-order.js";
import { decodePageToken, encodePageToken } from "../domain/page-token.js";
import type { CatalogueDeps } from "./deps.js";
import { assetToProto } from "./to-proto.js";

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 100;
const MAX_QUERY_LENGTH = 64;

const orders: Partial<Record<AssetSort, AssetOrder>> = {
  [AssetSort.UNSPECIFIED]: "market_cap",
  [AssetSort.MARKET_CAP]: "market_cap",
  [AssetSort.SYMBOL]: "symbol",
  [AssetSort.NAME]: "name",
};

function pageSizeOf(request: ListAssetsRequest): number {
  const size = request.pageSize ?? DEFAULT_PAGE_SIZE;
  if (size < 1 || size > MAX_PAGE_SIZE) throw invalidArgument(`page_size must be 1 to ${MAX_PAGE_SIZE}`);
  return size;
}

function filterOf(request: ListAssetsRequest): AssetFilter {
  if (request.query.length > MAX_QUERY_LENGTH) {
    throw invalidArgument(`query must be at most ${MAX_QUERY_LENGTH} characters`);
  }
  if (!categorySchema.safeParse(request.category).success) {
    throw invalidArgument("category must be a lower-case slug of at most 32 characters");
  }
  const order = orders[request.sort];
  if (order === undefined) throw invalidArgument("sort is not a known AssetSort");
  return {
    query: request.query.toLowerCase(),
    category: request.category,
    order,
    includeInactive: request.includeInactive,
  };
}

/** ListAssets: validates everything before reading, then one keyset page of the chosen order. */
export async function listAssets(
  deps: CatalogueDeps,
  request: ListAssetsRequest,
  context: HandlerContext,
): Promise<ListAssetsResponse> {
  const pageSize = pageSizeOf(request);
  const filter = filterOf(request);
  const after = request.pageToken === "" ? undefined : decodePageToken(request.pageToken, filter);
  if (filter.includeInactive) await deps.auth.requireRole(context, "admin");

  const page = await deps.assets.list(filter, after, pageSize);
  const last = page.assets.at(-1);
  return create(ListAssetsResponseSchema, {
    assets: page.assets.map(assetToProto),
    nextPageToken: page.more && last ? encodePageToken(filter, sortKeyOf(last, filter.order)) : "",
  });
}
