import type { Asset } from "@bourse/proto/bourse/inventory/v1/asset_pb";
import { InventoryService } from "@bourse/proto/bourse/inventory/v1/inventory_service_pb";
import { createConnectQueryKey, useMutation } from "@connectrpc/connect-query";
import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { ErrorMessage } from "../../components/ErrorMessage.tsx";
import { allAssetsQueryKey } from "../account/all-assets.ts";

/**
 * One asset with the control that delists or relists it. Delisting hides the asset and refuses deposits, so it
 * asks for a second click rather than a browser dialog (which some users block, and tests cannot see).
 */
export function AssetListingRow({ asset }: { asset: Asset }) {
  const queryClient = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const update = useMutation(InventoryService.method.updateAsset, {
    onSuccess: () => {
      setConfirming(false);
      void queryClient.invalidateQueries({ queryKey: allAssetsQueryKey });
      void queryClient.invalidateQueries({
        queryKey: createConnectQueryKey({ schema: InventoryService, cardinality: undefined }),
      });
    },
  });

  return (
    <tr>
      <th scope="row">{asset.symbol}</th>
      <td>{asset.name}</td>
      <td className={asset.active ? "up" : "down"}>{asset.active ? "Listed" : "Delisted"}</td>
      <td>
        <div className="inline-form">
          {!asset.active && (
            <button
              type="button"
              disabled={update.isPending}
              onClick={() => update.mutate({ symbol: asset.symbol, active: true })}
            >
              Relist
            </button>
          )}
          {asset.active && !confirming && (
            <button type="button" className="button-secondary" onClick={() => setConfirming(true)}>
              Delist
            </button>
          )}
          {asset.active && confirming && (
            <>
              <button
                type="button"
                className="button-sell"
                disabled={update.isPending}
                onClick={() => update.mutate({ symbol: asset.symbol, active: false })}
              >
                Confirm delisting {asset.symbol}
              </button>
              <button type="button" className="button-secondary" onClick={() => setConfirming(false)}>
                Keep listed
              </button>
            </>
          )}
        </div>
        <ErrorMessage error={update.error} />
      </td>
    </tr>
  );
}
