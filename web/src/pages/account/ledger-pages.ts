/**
 * Where the ledger table is in its pages. The API pages forward only (newest first, a token for the next
 * older page), so going back re-reads a page from the token that first reached it.
 */
export interface LedgerPages {
  /** The page token of every page visited so far; the first page's is "". */
  readonly tokens: readonly string[];
  /** Index into tokens of the page shown. */
  readonly index: number;
}

export const FIRST_LEDGER_PAGE: LedgerPages = { tokens: [""], index: 0 };

export function currentToken(pages: LedgerPages): string {
  return pages.tokens[pages.index] ?? "";
}

/** Moves to the older page that `nextPageToken` (from the page shown) names; no move on the last page. */
export function olderPage(pages: LedgerPages, nextPageToken: string): LedgerPages {
  if (nextPageToken === "") return pages;
  return { tokens: [...pages.tokens.slice(0, pages.index + 1), nextPageToken], index: pages.index + 1 };
}

/** Moves back to the newer page; no move on the first page. */
export function newerPage(pages: LedgerPages): LedgerPages {
  return pages.index === 0 ? pages : { tokens: pages.tokens, index: pages.index - 1 };
}
