import { isRouteErrorResponse, Link, useRouteError } from "react-router";

/** Shown when a page fails to load or render (e.g. its chunk could not be fetched after a deploy). */
export function RouteError() {
  const error = useRouteError();
  const detail = isRouteErrorResponse(error) ? `${error.status} ${error.statusText}` : undefined;
  return (
    <main className="page">
      <h1>Something went wrong</h1>
      <p role="alert">
        This page could not be shown{detail ? ` (${detail})` : ""}. Reload the page, or go back to the{" "}
        <Link to="/">markets</Link>.
      </p>
    </main>
  );
}
