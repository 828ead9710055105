import type { Trade } from "@bourse/proto/bourse/marketdata/v1/trade_pb";
import { Side } from "@bourse/proto/bourse/orders/v1/order_enums_pb";
import { timestampDate } from "@bufbuild/protobuf/wkt";
import { groupThousands } from "../../lib/display-decimal.ts";

/** Trades shown: the box has room for this many and never scrolls, so nothing on the page moves. */
const TAPE_ROWS = 12;

const timeOfDay = new Intl.DateTimeFormat(undefined, {
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
});

/** The market's latest trades, newest first, coloured by the taker's side, in a box of fixed height. */
export function TradesTape(props: { trades: readonly Trade[]; base: string; quote: string }) {
  return (
    <section aria-label="Trades" className="panel tape-panel">
      <h2>Trades</h2>
      <div className="tape-box">
        <table>
          <thead>
            <tr>
              <th scope="col" className="num">
                Price ({props.quote})
              </th>
              <th scope="col" className="num">
                Quantity ({props.base})
              </th>
              <th scope="col" className="num">
                Time
              </th>
            </tr>
          </thead>
          <tbody>
            {props.trades.slice(0, TAPE_ROWS).map((trade) => (
              <tr key={trade.id}>
                <td className={`num ${trade.takerSide === Side.BUY ? "buy" : "sell"}`}>
                  {groupThousands(trade.price)}
                </td>
                <td className="num">{groupThousands(trade.quantity)}</td>
                <td className="num muted">
                  {trade.executedAt ? timeOfDay.format(timestampDate(trade.executedAt)) : ""}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {props.trades.length === 0 && <p className="muted">No trades yet.</p>}
      </div>
    </section>
  );
}
