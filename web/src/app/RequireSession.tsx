import { Navigate, Outlet, useLocation } from "react-router";
import { loggedOut, useSession } from "../api/session.ts";

/**
 * Pages of the signed-in user: without a session, go to the login page, which comes back here afterwards;
 * except after "Log out", which means leaving, not coming back.
 */
export function RequireSession() {
  const session = useSession();
  const location = useLocation();
  if (!session) {
    if (loggedOut()) return <Navigate to="/login" replace />;
    const next = encodeURIComponent(location.pathname + location.search);
    return <Navigate to={`/login?next=${next}`} replace />;
  }
  return <Outlet />;
}
