import { Navigate, Outlet, useLocation } from "react-router";
import { useSession } from "../api/session.ts";

/** Pages of the signed-in user: without a session, go to the login page, which comes back here afterwards. */
export function RequireSession() {
  const session = useSession();
  const location = useLocation();
  if (!session) {
    const next = encodeURIComponent(location.pathname + location.search);
    return <Navigate to={`/login?next=${next}`} replace />;
  }
  return <Outlet />;
}
