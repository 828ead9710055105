import type { ComponentType } from "react";
import { createBrowserRouter } from "react-router";
import { Layout } from "./Layout.tsx";
import { RequireSession } from "./RequireSession.tsx";
import { RouteError } from "./RouteError.tsx";

/** Each page is its own chunk, fetched when its route is first visited, so the first page loads only itself. */
function page(load: () => Promise<{ default: ComponentType }>) {
  return async () => ({ Component: (await load()).default });
}

export const router = createBrowserRouter([
  {
    element: <Layout />,
    errorElement: <RouteError />,
    hydrateFallbackElement: <p className="loading">Loading…</p>,
    children: [
      { index: true, lazy: page(() => import("../pages/markets/MarketsPage.tsx")) },
      { path: "login", lazy: page(() => import("../pages/auth/LoginPage.tsx")) },
      { path: "register", lazy: page(() => import("../pages/auth/RegisterPage.tsx")) },
      { path: "trade/:market", lazy: page(() => import("../pages/trade/TradePage.tsx")) },
      { path: "assets", lazy: page(() => import("../pages/assets/AssetsPage.tsx")) },
      {
        element: <RequireSession />,
        children: [
          { path: "dashboard", lazy: page(() => import("../pages/dashboard/DashboardPage.tsx")) },
          { path: "portfolio", lazy: page(() => import("../pages/portfolio/PortfolioPage.tsx")) },
          { path: "account", lazy: page(() => import("../pages/account/AccountPage.tsx")) },
          { path: "profile", lazy: page(() => import("../pages/profile/ProfilePage.tsx")) },
          { path: "admin", lazy: page(() => import("../pages/admin/AdminPage.tsx")) },
        ],
      },
      { path: "*", lazy: page(() => import("./NotFoundPage.tsx")) },
    ],
  },
]);
