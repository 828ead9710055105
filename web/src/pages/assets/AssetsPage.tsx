import { AssetSort, InventoryService } from "@bourse/proto/bourse/inventory/v1/inventory_service_pb";
import { useQuery } from "@connectrpc/connect-query";
import { keepPreviousData } from "@tanstack/react-query";
import { useId, useMemo, useState } from "react";
import { ErrorMessage } from "../../components/ErrorMessage.tsx";
import { PagerNav } from "../account/PagerNav.tsx";
import { currentToken, FIRST_PAGE } from "../account/page-tokens.ts";
import { AssetRow } from "./AssetRow.tsx";
import { useDebouncedValue } from "./use-debounced-value.ts";
import { useLivePrices } from "./use-live-prices.ts";
import "../pages.css";
import { TableScroll } from "../TableScroll.tsx";

const pageSize = 25;
const searchDelayMs = 250;

const sorts: readonly { value: AssetSort; label: string }[] = [
  { value: AssetSort.MARKET_CAP, label: "Market cap" },
  { value: AssetSort.SYMBOL, label: "Symbol" },
  { value: AssetSort.NAME, label: "Name" },
];

/**
 * The asset catalogue, searched and paged on the server, each asset with its live reference price and the
 * honest source of that price (live, cached, snapshot or simulated).
 */
export default function AssetsPage() {
  const searchId = useId();
  const sortId = useId();
  const [search, setSearch] = useState("");
  const [sort, setSort] = useState(AssetSort.MARKET_CAP);
  const [pages, setPages] = useState(FIRST_PAGE);
  const query = useDebouncedValue(search.trim(), searchDelayMs);
  const listing = useQuery(
    InventoryService.method.listAssets,
    { query, sort, pageSize, pageToken: currentToken(pages) },
    { placeholderData: keepPreviousData },
  );
  const assets = listing.data?.assets ?? [];
  const priced = useMemo(
    () => assets.filter((asset) => asset.coingeckoId !== "").map((asset) => asset.symbol),
    [assets],
  );
  const live = useLivePrices(priced);
  const nextPageToken = listing.data?.nextPageToken ?? "";

  return (
    <div className="page">
      <h1>Assets</h1>
      <div className="toolbar">
        <label htmlFor={searchId}>Search assets</label>
        <input
          id={searchId}
          type="search"
          value={search}
          maxLength={64}
          autoComplete="off"
          placeholder="Symbol or name"
          onChange={(event) => {
            setSearch(event.target.value);
            setPages(FIRST_PAGE);
          }}
        />
        <label htmlFor={sortId}>Sort by</label>
        <select
          id={sortId}
          value={sort}
          onChange={(event) => {
            setSort(Number(event.target.value) as AssetSort);
            setPages(FIRST_PAGE);
          }}
        >
          {sorts.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
      </div>
      <ErrorMessage error={listing.error} />
      {live.error && <p role="alert">{live.error}</p>}
      <TableScroll label="Assets table">
        <table className="data-table" aria-busy={listing.isFetching}>
          <caption className="visually-hidden">
            Assets with their reference price in US dollars, the price's source and its time.
          </caption>
          <thead>
            <tr>
              <th scope="col" className="num">
                Rank
              </th>
              <th scope="col">Asset</th>
              <th scope="col">Category</th>
              <th scope="col" className="num">
                Price
              </th>
              <th scope="col" className="num">
                24h change
              </th>
              <th scope="col">Source</th>
              <th scope="col">As of</th>
            </tr>
          </thead>
          <tbody>
            {assets.map((asset) => (
              <AssetRow key={asset.symbol} asset={asset} price={live.prices.get(asset.symbol)} />
            ))}
          </tbody>
        </table>
      </TableScroll>
      {listing.isPending && <p aria-live="polite">Loading assets…</p>}
      {listing.isSuccess && assets.length === 0 && <p>No asset matches “{query}”.</p>}
      <PagerNav
        label="Asset pages"
        pages={pages}
        nextPageToken={nextPageToken}
        busy={listing.isFetching}
        onChange={setPages}
        previousLabel="Previous"
        nextLabel="Next"
      />
      <p className="hint">
        Live prices come from CoinGecko. Cached, snapshot and simulated prices are marked as such: a simulated
        price is not a market price.
      </p>
    </div>
  );
}
