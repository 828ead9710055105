import { OrderService } from "@bourse/proto/bourse/orders/v1/order_service_pb";
import { PortfolioService } from "@bourse/proto/bourse/orders/v1/portfolio_service_pb";
import { BalanceService } from "@bourse/proto/bourse/users/v1/balance_service_pb";
import { createConnectQueryKey } from "@connectrpc/connect-query";
import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef } from "react";
import { api } from "../../api/clients.ts";
import { useStream } from "../../api/streams.ts";

/** Updates arriving together (the fills of one order) cause one refresh, not one each. */
const settleMs = 300;

/**
 * Keeps the signed-in user's orders, balances and portfolio current while a page shows them: every event of the
 * user data stream (StreamMyOrders: an order accepted, filled, canceled…) reads them again. So does a reconnect,
 * since events may have been missed meanwhile; the first connection does not, the page has just read them.
 */
export function useRefreshOnOrderEvents(): void {
  const queryClient = useQueryClient();
  const pending = useRef<ReturnType<typeof setTimeout>>(undefined);
  const connectedBefore = useRef(false);
  useEffect(() => () => clearTimeout(pending.current), []);

  const refreshSoon = () => {
    if (pending.current !== undefined) return;
    pending.current = setTimeout(() => {
      pending.current = undefined;
      for (const schema of [OrderService, BalanceService, PortfolioService]) {
        void queryClient.invalidateQueries({
          queryKey: createConnectQueryKey({ schema, cardinality: undefined }),
        });
      }
    }, settleMs);
  };

  useStream("my-order-events", {
    open: (options) => api(OrderService).streamMyOrders({}, options),
    onMessage: (message) => {
      if (message.event.case === "start") {
        if (connectedBefore.current) refreshSoon();
        connectedBefore.current = true;
        return;
      }
      refreshSoon();
    },
  });
}
