/**
 * Where a paged table (the ledger, the asset catalogue) is in its pages. The API pages forward only, each page
 * giving the token of the next, so going back re-reads a page from the token that first reached it.
 */
export interface TokenPages {
  /** The page token of every page visited so far; the first page's is "". */
  readonly tokens: readonly string[];
  /** Index into tokens of the page shown. */
  readonly index: number;
}

export const FIRST_PAGE: TokenPages = { tokens: [""], index: 0 };

export function currentToken(pages: TokenPages): string {
  return pages.tokens[pages.index] ?? "";
}

/** Moves to the next page, which `nextPageToken` (from the page shown) names; no move on the last page. */
export function nextPage(pages: TokenPages, nextPageToken: string): TokenPages {
  if (nextPageToken === "") return pages;
  return { tokens: [...pages.tokens.slice(0, pages.index + 1), nextPageToken], index: pages.index + 1 };
}

/** Moves back to the previous page; no move on the first page. */
export function previousPage(pages: TokenPages): TokenPages {
  return pages.index === 0 ? pages : { tokens: pages.tokens, index: pages.index - 1 };
}
