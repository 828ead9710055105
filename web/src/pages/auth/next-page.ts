/** Where to go after signing in: the page that asked for it (`?next=`), if it is one of ours, else the dashboard. */
export function nextPage(search: URLSearchParams): string {
  const next = search.get("next");
  return next?.startsWith("/") && !next.startsWith("//") ? next : "/dashboard";
}
