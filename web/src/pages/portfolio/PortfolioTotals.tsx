import type { PortfolioTotals as Totals } from "@bourse/proto/bourse/orders/v1/portfolio_service_pb";
import { displayUsd } from "../../lib/display-decimal.ts";
import { PnlFigure } from "./PnlFigure.tsx";

/** The portfolio's value and P&L in USD, as a row of figures. */
export function PortfolioTotals({ totals }: { totals: Totals | undefined }) {
  return (
    <dl className="figures">
      <div>
        <dt>Portfolio value</dt>
        <dd>{displayUsd(totals?.value ?? "")}</dd>
      </div>
      <div>
        <dt>Cost basis</dt>
        <dd>{displayUsd(totals?.costBasis ?? "")}</dd>
      </div>
      <div>
        <dt>Unrealized P&amp;L</dt>
        <dd>
          <PnlFigure value={totals?.unrealizedPnl ?? ""} />
        </dd>
      </div>
      <div>
        <dt>Realized P&amp;L</dt>
        <dd>
          <PnlFigure value={totals?.realizedPnl ?? ""} />
        </dd>
      </div>
    </dl>
  );
}
