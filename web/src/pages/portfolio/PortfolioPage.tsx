import { PortfolioService } from "@bourse/proto/bourse/orders/v1/portfolio_service_pb";
import { timestampDate } from "@bufbuild/protobuf/wkt";
import { useQuery } from "@connectrpc/connect-query";
import { useMemo } from "react";
import { ErrorMessage } from "../../components/ErrorMessage.tsx";
import { useRefreshOnOrderEvents } from "../dashboard/use-refresh-on-order-events.ts";
import { AllocationChart } from "./AllocationChart.tsx";
import { allocationSlices } from "./allocation.ts";
import { HoldingsTable } from "./HoldingsTable.tsx";
import { PortfolioTotals } from "./PortfolioTotals.tsx";
import { valuationRefreshMs } from "./valuation-refresh.ts";
import "../pages.css";

/** The caller's holdings valued in USD, their allocation and their P&L, from PortfolioService. */
export default function PortfolioPage() {
  useRefreshOnOrderEvents();
  const portfolio = useQuery(
    PortfolioService.method.getPortfolio,
    {},
    { refetchInterval: valuationRefreshMs },
  );
  const holdings = portfolio.data?.holdings ?? [];
  const slices = useMemo(() => allocationSlices(holdings), [holdings]);
  const asOf = portfolio.data?.asOf;

  return (
    <div className="page">
      <h1>Portfolio</h1>
      <ErrorMessage error={portfolio.error} />
      {portfolio.isPending && <p aria-live="polite">Valuing your portfolio…</p>}
      {portfolio.data && (
        <>
          <section className="panel" aria-labelledby="portfolio-summary">
            <h2 id="portfolio-summary">Summary</h2>
            <PortfolioTotals totals={portfolio.data.totals} />
            {asOf && <p className="hint">Valued at {timestampDate(asOf).toLocaleString()}, in USD.</p>}
          </section>
          <section className="panel" aria-labelledby="portfolio-allocation">
            <h2 id="portfolio-allocation">Allocation</h2>
            <AllocationChart slices={slices} />
          </section>
          <section className="panel" aria-label="Holdings">
            <h2>Holdings</h2>
            <HoldingsTable holdings={holdings} />
          </section>
        </>
      )}
    </div>
  );
}
