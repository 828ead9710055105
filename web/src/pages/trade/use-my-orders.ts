import { OrderService } from "@bourse/proto/bourse/orders/v1/order_service_pb";
import { useEffect, useRef, useState } from "react";
import { api } from "../../api/clients.ts";
import { useSession } from "../../api/session.ts";
import { type StreamState, useStream } from "../../api/streams.ts";
import { type MyOrders, noOrders } from "./my-orders.ts";
import { followMyOrders, type MyOrdersFollower } from "./my-orders-stream.ts";

/** Most orders read (ListOrders' largest page) when the stream cannot resume. */
const LISTED_ORDERS = 100;

/**
 * The signed-in user's orders in `market` and all their balances, kept live by StreamMyOrders
 * (`followMyOrders`). A new user or market starts over with a new follower, made before the stream starts
 * (this effect runs before useStream's). `state` is undefined while signed out.
 */
export function useMyOrders(market: string): { orders: MyOrders; state: StreamState | undefined } {
  const session = useSession();
  const key = session ? `${session.user.id}/${market}` : null;
  const [orders, setOrders] = useState<MyOrders>(noOrders);
  const follower = useRef<MyOrdersFollower | undefined>(undefined);

  // biome-ignore lint/correctness/useExhaustiveDependencies: another user or market starts from nothing
  useEffect(() => {
    setOrders(noOrders);
    const current = followMyOrders(setOrders, async () => {
      const response = await api(OrderService).listOrders({ market, pageSize: LISTED_ORDERS });
      return response.orders;
    });
    follower.current = current;
    return current.stop;
  }, [key]);

  const stream = useStream(key, {
    open: (options) =>
      api(OrderService).streamMyOrders({ afterSequence: follower.current?.afterSequence() }, options),
    onMessage: (message) => follower.current?.onMessage(message),
  });
  return { orders, state: key === null ? undefined : stream.state };
}
