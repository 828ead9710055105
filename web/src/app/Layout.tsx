import { Role } from "@bourse/proto/bourse/users/v1/user_pb";
import { useState } from "react";
import { NavLink, Outlet, useMatch, useNavigate } from "react-router";
import { logOut, useSession } from "../api/session.ts";
import { ConnectionIndicator } from "./ConnectionIndicator.tsx";

/** The market the "Trade" link opens; the markets page links to every other one. */
const defaultMarket = "BTC-USD";

export function Layout() {
  const session = useSession();
  const navigate = useNavigate();
  const trading = useMatch("/trade/*") !== null;
  const [loggingOut, setLoggingOut] = useState(false);

  const onLogOut = async () => {
    setLoggingOut(true);
    await logOut();
    setLoggingOut(false);
    await navigate("/login", { replace: true });
  };

  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="app-header">
        <NavLink to="/" className="brand" aria-label="Bourse home">
          Bourse
        </NavLink>
        <nav aria-label="Main" className="app-nav">
          <NavLink to="/" end>
            Markets
          </NavLink>
          <NavLink to={`/trade/${defaultMarket}`} className={trading ? "active" : undefined}>
            Trade
          </NavLink>
          <NavLink to="/assets">Assets</NavLink>
          {session && (
            <>
              <NavLink to="/dashboard">Dashboard</NavLink>
              <NavLink to="/portfolio">Portfolio</NavLink>
              <NavLink to="/account">Account</NavLink>
              <NavLink to="/profile">Profile</NavLink>
              {session.user.role === Role.ADMIN && <NavLink to="/admin">Admin</NavLink>}
            </>
          )}
        </nav>
        <div className="app-session">
          <ConnectionIndicator />
          {session ? (
            <>
              <span className="user-name" title={session.user.email}>
                {session.user.displayName}
              </span>
              <button type="button" className="button-secondary" onClick={onLogOut} disabled={loggingOut}>
                Log out
              </button>
            </>
          ) : (
            <>
              <NavLink to="/login">Log in</NavLink>
              <NavLink to="/register">Register</NavLink>
            </>
          )}
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <Outlet />
      </main>
    </>
  );
}
