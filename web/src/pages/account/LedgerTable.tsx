import { BalanceService } from "@bourse/proto/bourse/users/v1/balance_service_pb";
import { timestampDate } from "@bufbuild/protobuf/wkt";
import { useQuery } from "@connectrpc/connect-query";
import { keepPreviousData } from "@tanstack/react-query";
import { useState } from "react";
import { ErrorMessage } from "../../components/ErrorMessage.tsx";
import { displayDecimal, displaySigned } from "../../lib/display-decimal.ts";
import { TableScroll } from "../TableScroll.tsx";
import { ledgerKindLabel } from "./ledger-kind.ts";
import { PagerNav } from "./PagerNav.tsx";
import { currentToken, FIRST_PAGE } from "./page-tokens.ts";

const pageSize = 20;

/** The caller's ledger, newest first, a page at a time. */
export function LedgerTable() {
  const [pages, setPages] = useState(FIRST_PAGE);
  const ledger = useQuery(
    BalanceService.method.listLedgerEntries,
    { pageSize, pageToken: currentToken(pages) },
    { placeholderData: keepPreviousData },
  );
  const entries = ledger.data?.entries ?? [];
  const nextPageToken = ledger.data?.nextPageToken ?? "";

  return (
    <>
      <ErrorMessage error={ledger.error} />
      {ledger.isPending && <p aria-live="polite">Loading the ledger…</p>}
      {ledger.isSuccess && entries.length === 0 && <p>No ledger entries yet.</p>}
      {entries.length > 0 && (
        <TableScroll label="Ledger table">
          <table className="data-table">
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">Kind</th>
                <th scope="col">Asset</th>
                <th scope="col" className="num">
                  Change
                </th>
                <th scope="col" className="num">
                  Available after
                </th>
                <th scope="col" className="num">
                  In orders after
                </th>
              </tr>
            </thead>
            <tbody>
              {entries.map((entry) => (
                <tr key={entry.id}>
                  <td>{entry.createdAt ? timestampDate(entry.createdAt).toLocaleString() : "—"}</td>
                  <td>{ledgerKindLabel(entry.kind)}</td>
                  <td>{entry.asset}</td>
                  <td className="num">{displaySigned(entry.amount)}</td>
                  <td className="num">{displayDecimal(entry.availableAfter)}</td>
                  <td className="num">{displayDecimal(entry.heldAfter)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
      <PagerNav
        label="Ledger pages"
        pages={pages}
        nextPageToken={nextPageToken}
        busy={ledger.isFetching}
        onChange={setPages}
        previousLabel="Newer"
        nextLabel="Older"
      />
    </>
  );
}
