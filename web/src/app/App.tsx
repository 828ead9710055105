import { TransportProvider } from "@connectrpc/connect-query";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { RouterProvider } from "react-router";
import { getSession, subscribeSession } from "../api/session.ts";
import { transport } from "../api/transport.ts";
import { router } from "./router.tsx";

/**
 * Live data comes from streams, so queries need no polling; a failed query is retried once, not three times,
 * so that a readable error appears quickly.
 */
const queryClient = new QueryClient({
  defaultOptions: { queries: { retry: 1, refetchOnWindowFocus: false } },
});

/**
 * The cache holds the signed-in user's balances, orders and portfolio: when the user changes (log out, then
 * another log in on the same tab), it is emptied, so nobody sees the previous user's figures even for a moment.
 */
let cachedForUserId = getSession()?.user.id;
subscribeSession(() => {
  const userId = getSession()?.user.id;
  if (userId !== cachedForUserId) queryClient.clear();
  cachedForUserId = userId;
});

export function App() {
  return (
    <TransportProvider transport={transport}>
      <QueryClientProvider client={queryClient}>
        <RouterProvider router={router} />
      </QueryClientProvider>
    </TransportProvider>
  );
}
