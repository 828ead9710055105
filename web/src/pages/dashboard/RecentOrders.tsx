import type { Order } from "@bourse/proto/bourse/orders/v1/order_pb";
import { timestampDate } from "@bufbuild/protobuf/wkt";
import { Link } from "react-router";
import { displayDecimal } from "../../lib/display-decimal.ts";
import { TableScroll } from "../TableScroll.tsx";
import { orderStatusLabel, orderTypeLabel, sideLabel } from "./order-labels.ts";

/** The caller's latest orders, each linking to its market's trade page. */
export function RecentOrders({ orders }: { orders: readonly Order[] }) {
  if (orders.length === 0) {
    return (
      <p>
        No orders yet. Pick a market on the <Link to="/">markets page</Link> to place one.
      </p>
    );
  }
  return (
    <TableScroll label="Recent orders table">
      <table className="data-table">
        <thead>
          <tr>
            <th scope="col">Time</th>
            <th scope="col">Market</th>
            <th scope="col">Side</th>
            <th scope="col">Type</th>
            <th scope="col" className="num">
              Price
            </th>
            <th scope="col" className="num">
              Quantity
            </th>
            <th scope="col" className="num">
              Filled
            </th>
            <th scope="col">Status</th>
          </tr>
        </thead>
        <tbody>
          {orders.map((order) => (
            <tr key={order.id}>
              <td>{order.createdAt ? timestampDate(order.createdAt).toLocaleString() : "—"}</td>
              <td>
                <Link to={`/trade/${order.market}`}>{order.market}</Link>
              </td>
              <td className={`side-${sideLabel(order.side).toLowerCase()}`}>{sideLabel(order.side)}</td>
              <td>{orderTypeLabel(order.type)}</td>
              <td className="num">{order.price === "" ? "Market" : displayDecimal(order.price)}</td>
              <td className="num">
                {order.quantity === ""
                  ? `${displayDecimal(order.quoteAmount)} ${order.market.split("-")[1] ?? ""}`
                  : displayDecimal(order.quantity)}
              </td>
              <td className="num">{displayDecimal(order.filledQuantity)}</td>
              <td>{orderStatusLabel(order.status)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}
