import { OrderService } from "@bourse/proto/bourse/orders/v1/order_service_pb";
import { useEffect, useRef, useState } from "react";
import { api } from "../../api/clients.ts";
import { useSession } from "../../api/session.ts";
import { type StreamState, useStream } from "../../api/streams.ts";
import { applyListedOrders, applyStart, applyUpdate, type MyOrders, noOrders } from "./my-orders.ts";

/** Thrown out of the stream's message handler so that useStream reconnects, resuming after the last update. */
class UpdateGapError extends Error {
  override readonly name = "UpdateGapError";
}

/** Most orders read (ListOrders' largest page) when the stream cannot resume. */
const LISTED_ORDERS = 100;

/**
 * The signed-in user's orders in `market` and all their balances, kept live by StreamMyOrders. Each reconnect
 * resumes after the last update applied; when the server cannot resume (or on the first connection) the
 * market's orders are read with ListOrders and the balances taken from the stream's start. A new user or market
 * starts over. `state` is undefined while signed out.
 */
export function useMyOrders(market: string): { orders: MyOrders; state: StreamState | undefined } {
  const session = useSession();
  const key = session ? `${session.user.id}/${market}` : null;
  const [orders, setOrders] = useState<MyOrders>(noOrders);
  const latest = useRef<MyOrders>(noOrders);
  const currentKey = useRef(key);
  currentKey.current = key;
  const publish = (next: MyOrders) => {
    latest.current = next;
    setOrders(next);
  };

  // biome-ignore lint/correctness/useExhaustiveDependencies: another user or market starts from nothing
  useEffect(() => {
    latest.current = noOrders;
    setOrders(noOrders);
  }, [key]);

  const stream = useStream(key, {
    open: (options) => api(OrderService).streamMyOrders({ afterSequence: latest.current.sequence }, options),
    onMessage: ({ event }) => {
      if (event.case === "start") {
        const { state, needsOrders } = applyStart(latest.current, event.value);
        publish(state);
        if (!needsOrders) return;
        const readFor = key;
        void api(OrderService)
          .listOrders({ market, pageSize: LISTED_ORDERS })
          .then((response) => {
            if (currentKey.current === readFor) publish(applyListedOrders(latest.current, response.orders));
          })
          // The stream still brings every order that changes from now on; a reconnect reads them again.
          .catch(() => undefined);
      } else if (event.case === "update") {
        const outcome = applyUpdate(latest.current, event.value);
        if (outcome.kind === "gap") {
          throw new UpdateGapError(`expected update ${outcome.expected}, got ${outcome.received}`);
        }
        publish(outcome.state);
      }
    },
  });
  return { orders, state: key === null ? undefined : stream.state };
}
