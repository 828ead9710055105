import type { Asset } from "@bourse/proto/bourse/inventory/v1/asset_pb";
import { AssetSort, InventoryService } from "@bourse/proto/bourse/inventory/v1/inventory_service_pb";
import { api } from "../../api/clients.ts";

/** The TanStack Query key of {@link listAllAssets}'s results; invalidate it after editing the catalogue. */
export const allAssetsQueryKey = ["all-assets"] as const;

/** Enough pages for a catalogue many times today's size, so a server bug cannot make the loop endless. */
const maxPages = 50;

/**
 * The whole catalogue, A to Z, for pickers that need every asset (the funding form, the admin screen). The
 * catalogue has a hundred-odd assets, so this is two or three calls of the largest page.
 */
export async function listAllAssets(includeInactive = false): Promise<Asset[]> {
  const assets: Asset[] = [];
  let pageToken = "";
  for (let page = 0; page < maxPages; page += 1) {
    const response = await api(InventoryService).listAssets({
      sort: AssetSort.SYMBOL,
      includeInactive,
      pageSize: 100,
      pageToken,
    });
    assets.push(...response.assets);
    pageToken = response.nextPageToken;
    if (pageToken === "") break;
  }
  return assets;
}
