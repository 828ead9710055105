import { Side } from "@bourse/proto/bourse/orders/v1/order_enums_pb";
import type { Order } from "@bourse/proto/bourse/orders/v1/order_pb";
import { timestampDate } from "@bufbuild/protobuf/wkt";
import { groupThousands } from "../../lib/display-decimal.ts";
import type { MarketRules } from "./order-draft.ts";
import { sideLabel, statusLabel, typeLabel } from "./order-labels.ts";

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: "short", timeStyle: "medium" });

/** The caller's closed orders in this market, most recently closed first. */
export function OrderHistory({ orders, rules }: { orders: readonly Order[]; rules: MarketRules }) {
  return (
    <section aria-label="Order history" className="panel orders-panel">
      <h2>Order history</h2>
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a box that scrolls sideways on a narrow screen must take the keyboard focus */}
      <section className="trade-table-scroll" aria-label="Order history table" tabIndex={0}>
        <table>
          <thead>
            <tr>
              <th scope="col">Closed</th>
              <th scope="col">Side</th>
              <th scope="col">Type</th>
              <th scope="col" className="num">
                Price ({rules.quote})
              </th>
              <th scope="col" className="num">
                Quantity ({rules.base})
              </th>
              <th scope="col" className="num">
                Filled
              </th>
              <th scope="col" className="num">
                Average price
              </th>
              <th scope="col" className="num">
                Fee
              </th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {orders.map((order) => (
              <tr key={order.id}>
                <td className="muted">
                  {order.updatedAt ? dateTime.format(timestampDate(order.updatedAt)) : ""}
                </td>
                <td className={order.side === Side.BUY ? "buy" : "sell"}>{sideLabel(order.side)}</td>
                <td>{typeLabel(order.type)}</td>
                <td className="num">{order.price ? groupThousands(order.price) : "Market"}</td>
                <td className="num">{groupThousands(order.quantity || order.quoteAmount)}</td>
                <td className="num">{groupThousands(order.filledQuantity)}</td>
                <td className="num">
                  {order.averageFillPrice ? groupThousands(order.averageFillPrice) : "–"}
                </td>
                <td className="num">
                  {groupThousands(order.fee)} {order.feeAsset}
                </td>
                <td>{statusLabel(order)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      {orders.length === 0 && <p className="muted">No closed orders in this market yet.</p>}
    </section>
  );
}
