import { Side } from "@bourse/proto/bourse/orders/v1/order_enums_pb";
import type { Order } from "@bourse/proto/bourse/orders/v1/order_pb";
import { OrderService } from "@bourse/proto/bourse/orders/v1/order_service_pb";
import { type FormEvent, useId, useState } from "react";
import { api } from "../../api/clients.ts";
import { ErrorMessage } from "../../components/ErrorMessage.tsx";
import { groupThousands } from "../../lib/display-decimal.ts";
import { amendError } from "./amend-draft.ts";
import type { MarketRules } from "./order-draft.ts";
import { sideLabel, statusLabel, timeInForceLabel } from "./order-labels.ts";

/** The amend editor of one order: a new price and/or a new total quantity. */
function AmendForm({ order, rules, onDone }: { order: Order; rules: MarketRules; onDone: () => void }) {
  const id = useId();
  const [price, setPrice] = useState("");
  const [quantity, setQuantity] = useState("");
  const [invalid, setInvalid] = useState<string>();
  const [failure, setFailure] = useState<unknown>();
  const [pending, setPending] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setFailure(undefined);
    const error = amendError({ price, quantity }, order, rules);
    setInvalid(error);
    if (error) return;
    setPending(true);
    try {
      await api(OrderService).amendOrder({
        target: { case: "orderId", value: order.id },
        price: price === "" ? undefined : price,
        quantity: quantity === "" ? undefined : quantity,
      });
      onDone();
    } catch (caught) {
      setFailure(caught);
    } finally {
      setPending(false);
    }
  };

  return (
    <form
      className="amend-form"
      aria-label={`Amend the ${sideLabel(order.side).toLowerCase()} at ${order.price}`}
      onSubmit={submit}
      noValidate
    >
      <div className="field">
        <label htmlFor={`${id}-price`}>New price</label>
        <input
          id={`${id}-price`}
          type="text"
          inputMode="decimal"
          autoComplete="off"
          placeholder={order.price}
          value={price}
          onChange={(event) => setPrice(event.target.value.trim())}
        />
      </div>
      <div className="field">
        <label htmlFor={`${id}-quantity`}>New quantity</label>
        <input
          id={`${id}-quantity`}
          type="text"
          inputMode="decimal"
          autoComplete="off"
          placeholder={order.quantity}
          value={quantity}
          onChange={(event) => setQuantity(event.target.value.trim())}
        />
      </div>
      <button type="submit" disabled={pending}>
        Save
      </button>
      <button type="button" className="button-secondary" onClick={onDone}>
        Close
      </button>
      {invalid && (
        <p role="alert" className="field-error">
          {invalid}
        </p>
      )}
      <ErrorMessage error={failure} />
    </form>
  );
}

/** The caller's open orders in this market, each with Cancel and Amend. */
export function OpenOrders({ orders, rules }: { orders: readonly Order[]; rules: MarketRules }) {
  const [amending, setAmending] = useState<string>();
  const [canceling, setCanceling] = useState<ReadonlySet<string>>(new Set());
  const [failure, setFailure] = useState<unknown>();

  const cancel = async (order: Order) => {
    setFailure(undefined);
    setCanceling((current) => new Set(current).add(order.id));
    try {
      await api(OrderService).cancelOrder({ target: { case: "orderId", value: order.id } });
    } catch (error) {
      setFailure(error);
    } finally {
      setCanceling((current) => {
        const next = new Set(current);
        next.delete(order.id);
        return next;
      });
    }
  };

  return (
    <section aria-label="Open orders" className="panel orders-panel">
      <h2>Open orders</h2>
      <ErrorMessage error={failure} />
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a box that scrolls sideways on a narrow screen must take the keyboard focus */}
      <section className="trade-table-scroll" aria-label="Open orders table" tabIndex={0}>
        <table>
          <thead>
            <tr>
              <th scope="col">Side</th>
              <th scope="col" className="num">
                Price ({rules.quote})
              </th>
              <th scope="col" className="num">
                Quantity ({rules.base})
              </th>
              <th scope="col" className="num">
                Filled
              </th>
              <th scope="col">Time in force</th>
              <th scope="col">Status</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {orders.map((order) => (
              <tr key={order.id}>
                <td className={order.side === Side.BUY ? "buy" : "sell"}>{sideLabel(order.side)}</td>
                <td className="num">{groupThousands(order.price)}</td>
                <td className="num">{groupThousands(order.quantity)}</td>
                <td className="num">{groupThousands(order.filledQuantity)}</td>
                <td>{timeInForceLabel(order)}</td>
                <td>{statusLabel(order)}</td>
                <td className="actions">
                  <button
                    type="button"
                    className="button-secondary"
                    aria-expanded={amending === order.id}
                    onClick={() => setAmending(amending === order.id ? undefined : order.id)}
                  >
                    Amend
                  </button>
                  <button
                    type="button"
                    className="button-secondary"
                    disabled={canceling.has(order.id)}
                    onClick={() => cancel(order)}
                  >
                    Cancel
                  </button>
                  {amending === order.id && (
                    <AmendForm order={order} rules={rules} onDone={() => setAmending(undefined)} />
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      {orders.length === 0 && <p className="muted">No open orders in this market.</p>}
    </section>
  );
}
