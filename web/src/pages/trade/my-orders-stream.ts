import type { Order } from "@bourse/proto/bourse/orders/v1/order_pb";
import type { StreamMyOrdersResponse } from "@bourse/proto/bourse/orders/v1/order_service_pb";
import { applyListedOrders, applyStart, applyUpdate, type MyOrders, noOrders } from "./my-orders.ts";

/** Thrown out of the stream's message handler so that the stream runner reconnects, resuming. */
export class UpdateGapError extends Error {
  override readonly name = "UpdateGapError";
}

export interface MyOrdersFollower {
  /** What to ask StreamMyOrders to resume after: the last sequence applied, none before the first start. */
  afterSequence(): bigint | undefined;
  onMessage(message: StreamMyOrdersResponse): void;
  /** Publishes nothing more, e.g. once another user signed in or another market opened. */
  stop(): void;
}

/**
 * The handlers that keep the caller's orders and balances from StreamMyOrders for `runStream`/`useStream`
 * (proto: StreamMyOrders). A start that did not resume reads the orders again (`listOrders`); an update that
 * skips a sequence throws, which ends the stream, and the reconnect resumes after the last update applied.
 */
export function followMyOrders(
  publish: (state: MyOrders) => void,
  listOrders: () => Promise<readonly Order[]>,
): MyOrdersFollower {
  let state = noOrders;
  let stopped = false;
  const set = (next: MyOrders) => {
    state = next;
    if (!stopped) publish(next);
  };
  return {
    afterSequence: () => state.sequence,
    onMessage({ event }: StreamMyOrdersResponse): void {
      if (event.case === "start") {
        const started = applyStart(state, event.value);
        set(started.state);
        if (!started.needsOrders) return;
        listOrders()
          .then((orders) => set(applyListedOrders(state, orders)))
          // The stream still brings every order that changes from now on; a reconnect reads them again.
          .catch(() => undefined);
      } else if (event.case === "update") {
        const outcome = applyUpdate(state, event.value);
        if (outcome.kind === "gap") {
          throw new UpdateGapError(`expected update ${outcome.expected}, got ${outcome.received}`);
        }
        set(outcome.state);
      }
    },
    stop: () => {
      stopped = true;
    },
  };
}
