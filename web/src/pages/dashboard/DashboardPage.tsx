import { OrderService } from "@bourse/proto/bourse/orders/v1/order_service_pb";
import { PortfolioService } from "@bourse/proto/bourse/orders/v1/portfolio_service_pb";
import { BalanceService } from "@bourse/proto/bourse/users/v1/balance_service_pb";
import { useQuery } from "@connectrpc/connect-query";
import { Link } from "react-router";
import { useSession } from "../../api/session.ts";
import { ErrorMessage } from "../../components/ErrorMessage.tsx";
import { BalancesTable } from "../account/BalancesTable.tsx";
import { PortfolioTotals } from "../portfolio/PortfolioTotals.tsx";
import { valuationRefreshMs } from "../portfolio/valuation-refresh.ts";
import { RecentOrders } from "./RecentOrders.tsx";
import { useRefreshOnOrderEvents } from "./use-refresh-on-order-events.ts";
import "../pages.css";

const recentOrderCount = 10;

/** The signed-in user's overview: what the portfolio is worth, the balances and the latest orders. */
export default function DashboardPage() {
  useRefreshOnOrderEvents();
  const session = useSession();
  const portfolio = useQuery(
    PortfolioService.method.getPortfolio,
    {},
    { refetchInterval: valuationRefreshMs },
  );
  const balances = useQuery(BalanceService.method.getBalances, {});
  const orders = useQuery(OrderService.method.listOrders, { pageSize: recentOrderCount });

  return (
    <div className="page">
      <h1>Dashboard</h1>
      {session && <p className="hint">Welcome back, {session.user.displayName}.</p>}
      <section className="panel" aria-labelledby="dashboard-portfolio">
        <h2 id="dashboard-portfolio">Portfolio</h2>
        <ErrorMessage error={portfolio.error} />
        <PortfolioTotals totals={portfolio.data?.totals} />
        <p>
          <Link to="/portfolio">See holdings and allocation</Link>
        </p>
      </section>
      <section className="panel" aria-label="Balances">
        <h2>Balances</h2>
        <ErrorMessage error={balances.error} />
        {balances.data && <BalancesTable balances={balances.data.balances} />}
        <p>
          <Link to="/account">Deposit or withdraw</Link>
        </p>
      </section>
      <section className="panel" aria-label="Recent orders">
        <h2>Recent orders</h2>
        <ErrorMessage error={orders.error} />
        {orders.data && <RecentOrders orders={orders.data.orders} />}
      </section>
    </div>
  );
}
