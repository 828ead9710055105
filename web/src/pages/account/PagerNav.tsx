import { nextPage, previousPage, type TokenPages } from "./page-tokens.ts";

interface PagerNavProps {
  /** The navigation's accessible name, e.g. "Ledger pages". */
  readonly label: string;
  readonly pages: TokenPages;
  /** The current page's `next_page_token`; empty on the last page. */
  readonly nextPageToken: string;
  /** While a page loads, both buttons wait. */
  readonly busy: boolean;
  readonly onChange: (pages: TokenPages) => void;
  /** The buttons' words, e.g. "Newer" and "Older" for a list newest first. */
  readonly previousLabel: string;
  readonly nextLabel: string;
}

/** Back and forth through a cursor-paginated list, with the page number between. */
export function PagerNav({
  label,
  pages,
  nextPageToken,
  busy,
  onChange,
  previousLabel,
  nextLabel,
}: PagerNavProps) {
  return (
    <nav className="pager" aria-label={label}>
      <button
        type="button"
        className="button-secondary"
        onClick={() => onChange(previousPage(pages))}
        disabled={pages.index === 0 || busy}
      >
        {previousLabel}
      </button>
      <span>Page {pages.index + 1}</span>
      <button
        type="button"
        className="button-secondary"
        onClick={() => onChange(nextPage(pages, nextPageToken))}
        disabled={nextPageToken === "" || busy}
      >
        {nextLabel}
      </button>
    </nav>
  );
}
