import { BalanceService } from "@bourse/proto/bourse/users/v1/balance_service_pb";
import { useQuery } from "@connectrpc/connect-query";
import { useQuery as useTanStackQuery } from "@tanstack/react-query";
import { ErrorMessage } from "../../components/ErrorMessage.tsx";
import { useRefreshOnOrderEvents } from "../dashboard/use-refresh-on-order-events.ts";
import { allAssetsQueryKey, listAllAssets } from "./all-assets.ts";
import { BalancesTable } from "./BalancesTable.tsx";
import { FundingForm } from "./FundingForm.tsx";
import { LedgerTable } from "./LedgerTable.tsx";
import "../pages.css";

/** Funding (simulated deposits and withdrawals), balances and the ledger of the signed-in user. */
export default function AccountPage() {
  useRefreshOnOrderEvents();
  const balances = useQuery(BalanceService.method.getBalances, {});
  const assets = useTanStackQuery({
    queryKey: [...allAssetsQueryKey, "active"],
    queryFn: () => listAllAssets(),
  });

  return (
    <div className="page">
      <h1>Account</h1>
      <section className="panel" aria-labelledby="funding-heading">
        <h2 id="funding-heading">Deposit or withdraw</h2>
        <p className="hint">Funding is simulated: no real money moves.</p>
        <ErrorMessage error={assets.error} />
        {assets.data ? (
          <FundingForm assets={assets.data} balances={balances.data?.balances ?? []} />
        ) : (
          assets.isPending && <p aria-live="polite">Loading assets…</p>
        )}
      </section>
      <section className="panel" aria-label="Balances">
        <h2>Balances</h2>
        <ErrorMessage error={balances.error} />
        {balances.data && <BalancesTable balances={balances.data.balances} />}
      </section>
      <section className="panel" aria-label="Ledger">
        <h2>Ledger</h2>
        <LedgerTable />
      </section>
    </div>
  );
}
