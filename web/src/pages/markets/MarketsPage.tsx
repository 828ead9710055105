import { MarketDataService } from "@bourse/proto/bourse/marketdata/v1/market_data_service_pb";
import type { Ticker } from "@bourse/proto/bourse/marketdata/v1/ticker_pb";
import { useId, useMemo, useState } from "react";
import { Link } from "react-router";
import { api } from "../../api/clients.ts";
import { useStream } from "../../api/streams.ts";
import { TickerRow } from "./TickerRow.tsx";
import {
  DEFAULT_TICKER_SORT,
  filterTickers,
  mergeTickers,
  nextSort,
  sortTickers,
  type TickerSort,
  type TickerSortKey,
} from "./ticker-table.ts";
import "../pages.css";
import { TableScroll } from "../TableScroll.tsx";

const columns: readonly { key: TickerSortKey; label: string }[] = [
  { key: "market", label: "Market" },
  { key: "lastPrice", label: "Last price" },
  { key: "change", label: "24h change" },
  { key: "quoteVolume", label: "24h volume" },
];

/** The landing page: every market's ticker, live from StreamTickers, searchable and sortable. */
export default function MarketsPage() {
  const [tickers, setTickers] = useState<ReadonlyMap<string, Ticker>>(new Map());
  const [query, setQuery] = useState("");
  const [sort, setSort] = useState<TickerSort>(DEFAULT_TICKER_SORT);
  const searchId = useId();
  const stream = useStream("tickers", {
    open: (options) => api(MarketDataService).streamTickers({}, options),
    onMessage: (message) => setTickers((current) => mergeTickers(current, message.tickers)),
  });

  const rows = useMemo(
    () => sortTickers(filterTickers([...tickers.values()], query), sort),
    [tickers, query, sort],
  );
  const loading = tickers.size === 0 && stream.state !== "failed";

  return (
    <div className="page">
      <h1>Markets</h1>
      <div className="toolbar">
        <label htmlFor={searchId}>Search markets</label>
        <input
          id={searchId}
          type="search"
          value={query}
          onChange={(event) => setQuery(event.target.value)}
          placeholder="BTC, ETH…"
          autoComplete="off"
        />
      </div>
      {stream.error && <p role="alert">{stream.error}</p>}
      <TableScroll label="Markets table">
        <table className="data-table">
          <caption className="visually-hidden">
            Markets with their last price, 24-hour figures and best bid and ask, updated live. Column headers
            sort the table.
          </caption>
          <thead>
            <tr>
              {columns.map((column) => (
                <th
                  key={column.key}
                  scope="col"
                  className={column.key === "market" ? undefined : "num"}
                  aria-sort={sort.key === column.key ? sort.direction : "none"}
                >
                  <button
                    type="button"
                    className="sort-button"
                    onClick={() => setSort(nextSort(sort, column.key))}
                  >
                    {column.label}
                    <span aria-hidden="true">
                      {sort.key === column.key ? (sort.direction === "ascending" ? " ▲" : " ▼") : ""}
                    </span>
                  </button>
                </th>
              ))}
              <th scope="col" className="num">
                Bid
              </th>
              <th scope="col" className="num">
                Ask
              </th>
              <th scope="col" className="num">
                24h high
              </th>
              <th scope="col" className="num">
                24h low
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((ticker) => (
              <TickerRow key={ticker.market} ticker={ticker} />
            ))}
          </tbody>
        </table>
      </TableScroll>
      {loading && <p aria-live="polite">Loading markets…</p>}
      {!loading && rows.length === 0 && (
        <p>{query.trim() === "" ? "No markets are listed yet." : `No market matches “${query.trim()}”.`}</p>
      )}
      <p className="hint">
        Prices are in the quote asset of each market. Sign in to <Link to="/account">fund your account</Link>{" "}
        and trade.
      </p>
    </div>
  );
}
