import type { Holding } from "@bourse/proto/bourse/orders/v1/portfolio_service_pb";
import { displayDecimal, displayUsd, displayUsdPrice } from "../../lib/display-decimal.ts";
import { PriceSourceBadge } from "../assets/PriceSourceBadge.tsx";
import { TableScroll } from "../TableScroll.tsx";
import { PnlFigure } from "./PnlFigure.tsx";

/** One row per asset held (or with realized P&L), valued in USD at its mark price, with that price's source. */
export function HoldingsTable({ holdings }: { holdings: readonly Holding[] }) {
  if (holdings.length === 0) return <p>You hold nothing yet. Deposit funds on the Account page.</p>;
  return (
    <TableScroll label="Holdings table">
      <table className="data-table">
        <thead>
          <tr>
            <th scope="col">Asset</th>
            <th scope="col" className="num">
              Quantity
            </th>
            <th scope="col" className="num">
              In orders
            </th>
            <th scope="col" className="num">
              Average cost
            </th>
            <th scope="col" className="num">
              Mark price
            </th>
            <th scope="col" className="num">
              Value
            </th>
            <th scope="col" className="num">
              Unrealized P&amp;L
            </th>
            <th scope="col" className="num">
              Realized P&amp;L
            </th>
            <th scope="col" className="num">
              Allocation
            </th>
          </tr>
        </thead>
        <tbody>
          {holdings.map((holding) => (
            <tr key={holding.asset}>
              <th scope="row">{holding.asset}</th>
              <td className="num">{displayDecimal(holding.quantity)}</td>
              <td className="num">{displayDecimal(holding.held)}</td>
              <td className="num">{displayUsdPrice(holding.averageCost)}</td>
              <td className="num">
                {holding.markPrice === "" ? (
                  <span title="No price is known for this asset">No price</span>
                ) : (
                  <>
                    {displayUsdPrice(holding.markPrice)} <PriceSourceBadge source={holding.markPriceSource} />
                  </>
                )}
              </td>
              <td className="num">{displayUsd(holding.value)}</td>
              <td className="num">
                <PnlFigure value={holding.unrealizedPnl} />
              </td>
              <td className="num">
                <PnlFigure value={holding.realizedPnl} />
              </td>
              <td className="num">
                {holding.allocationPercent === "" ? "—" : `${holding.allocationPercent}%`}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}
