import type { InventoryService } from "@bourse/proto/bourse/inventory/v1/inventory_service_pb";
import type { ServiceImpl } from "@connectrpc/connect";
import { createAsset, updateAsset } from "./asset-admin.js";
import type { CatalogueDeps } from "./deps.js";
import { getAsset } from "./get-asset.js";
import { listAssets } from "./list-assets.js";
import { getMarket, listMarkets } from "./markets.js";
import { setMarketStatus } from "./set-market-status.js";

type CatalogueMethods =
  | "listAssets"
  | "getAsset"
  | "createAsset"
  | "updateAsset"
  | "listMarkets"
  | "getMarket"
  | "setMarketStatus";

/** The asset and market RPCs of InventoryService. */
export function catalogueHandlers(
  deps: CatalogueDeps,
): Pick<ServiceImpl<typeof InventoryService>, CatalogueMethods> {
  return {
    listAssets: (request, context) => listAssets(deps, request, context),
    getAsset: (request, context) => getAsset(deps, request, context),
    createAsset: (request, context) => createAsset(deps, request, context),
    updateAsset: (request, context) => updateAsset(deps, request, context),
    listMarkets: (request) => listMarkets(deps, request),
    getMarket: (request) => getMarket(deps, request),
    setMarketStatus: (request, context) => setMarketStatus(deps, request, context),
  };
}
