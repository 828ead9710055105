import { addDecimals, compareDecimals, subtractDecimals } from "../../lib/decimal.ts";
import { decimalRatio } from "./amounts.ts";
import type { Book, BookLevel } from "./order-book.ts";

/** One displayed row of a book side: the level, the running total from the best price, and its bar width. */
export interface DepthRow {
  readonly price: string;
  readonly quantity: string;
  readonly orderCount: number;
  /** Base quantity from the best price down to this level, inclusive. */
  readonly cumulative: string;
  /** The cumulative quantity as thousandths of the deeper side's total shown, for the depth bar (0 to 1000). */
  readonly depthPerMille: number;
}

/** The best bid to best ask distance, absolute and as a percentage of the ask with 2 decimals. */
export interface Spread {
  readonly absolute: string;
  readonly percent: string;
}

export interface BookView {
  readonly bids: readonly DepthRow[];
  readonly asks: readonly DepthRow[];
  readonly spread: Spread | undefined;
}

function withTotals(levels: readonly BookLevel[], rows: number): { level: BookLevel; cumulative: string }[] {
  let cumulative = "0";
  return levels.slice(0, rows).map((level) => {
    cumulative = addDecimals(cumulative, level.quantity);
    return { level, cumulative };
  });
}

/**
 * The top `rows` levels of each side with running totals and depth bars scaled to the larger side, so both
 * sides' bars compare, and the spread. All exact: the bar width is a bigint ratio in thousandths.
 */
export function bookView(book: Book, rows: number): BookView {
  const bids = withTotals(book.bids, rows);
  const asks = withTotals(book.asks, rows);
  const deepest = [bids.at(-1)?.cumulative ?? "0", asks.at(-1)?.cumulative ?? "0"].reduce((a, b) =>
    compareDecimals(a, b) >= 0 ? a : b,
  );
  const toRow = ({ level, cumulative }: { level: BookLevel; cumulative: string }): DepthRow => ({
    ...level,
    cumulative,
    depthPerMille: Number(decimalRatio(cumulative, deepest, 1000n)),
  });
  const bestBid = book.bids[0];
  const bestAsk = book.asks[0];
  let spread: Spread | undefined;
  if (bestBid && bestAsk) {
    const absolute = subtractDecimals(bestAsk.price, bestBid.price);
    const hundredths = decimalRatio(absolute, bestAsk.price, 10_000n);
    spread = { absolute, percent: `${hundredths / 100n}.${String(hundredths % 100n).padStart(2, "0")}` };
  }
  return { bids: bids.map(toRow), asks: asks.map(toRow), spread };
}
