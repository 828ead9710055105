import type { Ticker } from "@bourse/proto/bourse/marketdata/v1/ticker_pb";
import { compareDecimals } from "../../lib/decimal.ts";

/** Columns the tickers table sorts by. */
export type TickerSortKey = "market" | "lastPrice" | "change" | "quoteVolume";

export type SortDirection = "ascending" | "descending";

export interface TickerSort {
  readonly key: TickerSortKey;
  readonly direction: SortDirection;
}

/** Busiest markets first: what a visitor most likely came for. */
export const DEFAULT_TICKER_SORT: TickerSort = { key: "quoteVolume", direction: "descending" };

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function sortValue(ticker: Ticker, key: TickerSortKey): string {
  switch (key) {
    case "market":
      return ticker.market;
    case "lastPrice":
      return ticker.lastPrice;
    case "change":
      return ticker.change24hPercent;
    case "quoteVolume":
      return ticker.quoteVolume24h;
  }
}

/** Markets whose symbol contains the query, ignoring case and surrounding spaces; all for an empty query. */
export function filterTickers(tickers: readonly Ticker[], query: string): Ticker[] {
  const needle = query.trim().toUpperCase();
  if (needle === "") return [...tickers];
  return tickers.filter((ticker) => ticker.market.includes(needle));
}

/**
 * Sorts by one column. Figures are decimal strings compared exactly; a market without the figure (never traded,
 * or no trade in 24 hours) goes last in either direction, since "no data" is neither high nor low. Ties keep
 * symbol order so rows do not jump about as updates arrive.
 */
export function sortTickers(tickers: readonly Ticker[], sort: TickerSort): Ticker[] {
  const sign = sort.direction === "ascending" ? 1 : -1;
  return [...tickers].sort((a, b) => {
    const left = sortValue(a, sort.key);
    const right = sortValue(b, sort.key);
    if (left === "" || right === "") {
      if (left !== right) return left === "" ? 1 : -1;
      return compareText(a.market, b.market);
    }
    const order = sort.key === "market" ? compareText(left, right) : compareDecimals(left, right);
    return order !== 0 ? sign * order : compareText(a.market, b.market);
  });
}

/** Clicking the sorted column flips its direction; another column starts high to low, names A to Z. */
export function nextSort(current: TickerSort, key: TickerSortKey): TickerSort {
  if (current.key === key) {
    return { key, direction: current.direction === "ascending" ? "descending" : "ascending" };
  }
  return { key, direction: key === "market" ? "ascending" : "descending" };
}

/** Applies a stream push (changed tickers only) to the tickers known so far, keyed by market. */
export function mergeTickers(
  current: ReadonlyMap<string, Ticker>,
  updates: readonly Ticker[],
): Map<string, Ticker> {
  const merged = new Map(current);
  for (const ticker of updates) merged.set(ticker.market, ticker);
  return merged;
}

/** Which way a signed decimal change points, for colour and an arrow; "none" when there is no figure. */
export function changeDirection(change: string): "up" | "down" | "flat" | "none" {
  if (change === "") return "none";
  if (/^-?[0.]+$/.test(change)) return "flat";
  return change.startsWith("-") ? "down" : "up";
}

/** The style class of a change's direction: gains green, losses red, no change or no figure muted. */
export function directionClass(direction: ReturnType<typeof changeDirection>): string {
  return direction === "up" || direction === "down" ? direction : "muted";
}
