import type { Balance } from "@bourse/proto/bourse/users/v1/balance_pb";
import { addDecimals } from "../../lib/decimal.ts";
import { displayDecimal } from "../../lib/display-decimal.ts";
import { TableScroll } from "../TableScroll.tsx";

/** The caller's balances, one row per asset: what is free, what open orders hold, and the total. */
export function BalancesTable({ balances }: { balances: readonly Balance[] }) {
  if (balances.length === 0) return <p>No balances yet. Deposit funds to start trading.</p>;
  return (
    <TableScroll label="Balances table">
      <table className="data-table">
        <thead>
          <tr>
            <th scope="col">Asset</th>
            <th scope="col" className="num">
              Available
            </th>
            <th scope="col" className="num">
              In orders
            </th>
            <th scope="col" className="num">
              Total
            </th>
          </tr>
        </thead>
        <tbody>
          {balances.map((balance) => (
            <tr key={balance.asset}>
              <th scope="row">{balance.asset}</th>
              <td className="num">{displayDecimal(balance.available)}</td>
              <td className="num">{displayDecimal(balance.held)}</td>
              <td className="num">{displayDecimal(addDecimals(balance.available, balance.held))}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}
