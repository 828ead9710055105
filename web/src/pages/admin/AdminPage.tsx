import { InventoryService } from "@bourse/proto/bourse/inventory/v1/inventory_service_pb";
import { Role } from "@bourse/proto/bourse/users/v1/user_pb";
import { useQuery } from "@connectrpc/connect-query";
import { useQuery as useTanStackQuery } from "@tanstack/react-query";
import { useId, useMemo, useState } from "react";
import { useSession } from "../../api/session.ts";
import { ErrorMessage } from "../../components/ErrorMessage.tsx";
import { allAssetsQueryKey, listAllAssets } from "../account/all-assets.ts";
import { AssetListingRow } from "./AssetListingRow.tsx";
import { MarketStatusRow } from "./MarketStatusRow.tsx";
import "../pages.css";
import { TableScroll } from "../TableScroll.tsx";

/**
 * Operator screens: halt or resume a market, delist or relist an asset. Only for the admin role; the gateway
 * and the inventory service refuse these calls to anyone else whatever this page shows.
 */
export default function AdminPage() {
  const session = useSession();
  if (session?.user.role !== Role.ADMIN) {
    return (
      <div className="page">
        <h1>Admin</h1>
        <p role="alert">This page is for administrators only.</p>
      </div>
    );
  }
  return (
    <div className="page">
      <h1>Admin</h1>
      <MarketsAdmin />
      <AssetsAdmin />
    </div>
  );
}

function MarketsAdmin() {
  const markets = useQuery(InventoryService.method.listMarkets, {});
  return (
    <section className="panel" aria-label="Market status">
      <h2>Markets</h2>
      <p className="hint">A halted market refuses new orders; open orders can still be canceled.</p>
      <ErrorMessage error={markets.error} />
      {markets.isPending && <p aria-live="polite">Loading markets…</p>}
      {markets.data && (
        <TableScroll label="Markets table">
          <table className="data-table">
            <thead>
              <tr>
                <th scope="col">Market</th>
                <th scope="col">Status</th>
                <th scope="col">Reason</th>
                <th scope="col">Action</th>
              </tr>
            </thead>
            <tbody>
              {markets.data.markets.map((market) => (
                <MarketStatusRow key={market.symbol} market={market} />
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
    </section>
  );
}

function AssetsAdmin() {
  const searchId = useId();
  const [search, setSearch] = useState("");
  const assets = useTanStackQuery({
    queryKey: [...allAssetsQueryKey, "all"],
    queryFn: () => listAllAssets(true),
  });
  const shown = useMemo(() => {
    const needle = search.trim().toLowerCase();
    const all = assets.data ?? [];
    if (needle === "") return all;
    return all.filter(
      (asset) => asset.symbol.toLowerCase().includes(needle) || asset.name.toLowerCase().includes(needle),
    );
  }, [assets.data, search]);

  return (
    <section className="panel" aria-label="Asset listing">
      <h2>Assets</h2>
      <p className="hint">
        A delisted asset is hidden from customers and refuses deposits. Delisting does not halt its markets:
        halt them above.
      </p>
      <div className="toolbar">
        <label htmlFor={searchId}>Find an asset</label>
        <input
          id={searchId}
          type="search"
          value={search}
          autoComplete="off"
          onChange={(event) => setSearch(event.target.value)}
        />
      </div>
      <ErrorMessage error={assets.error} />
      {assets.isPending && <p aria-live="polite">Loading assets…</p>}
      {assets.data && (
        <TableScroll label="Assets table">
          <table className="data-table">
            <thead>
              <tr>
                <th scope="col">Symbol</th>
                <th scope="col">Name</th>
                <th scope="col">Status</th>
                <th scope="col">Action</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((asset) => (
                <AssetListingRow key={asset.symbol} asset={asset} />
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
    </section>
  );
}
