import type { CSSProperties } from "react";
import type { StreamState } from "../../api/streams.ts";
import { groupThousands } from "../../lib/display-decimal.ts";
import { bookView, type DepthRow } from "./book-view.ts";
import type { Book } from "./order-book.ts";

/** Levels shown per side. Every row is always drawn, empty or not, so the panel never changes height. */
const ROWS_PER_SIDE = 10;

function padded(rows: readonly DepthRow[]): (DepthRow | undefined)[] {
  return Array.from({ length: ROWS_PER_SIDE }, (_, index) => rows[index]);
}

function LevelRow({ row, side }: { row: DepthRow | undefined; side: "bid" | "ask" }) {
  if (!row) {
    return (
      <tr className="book-row book-row-empty">
        <td colSpan={3} />
      </tr>
    );
  }
  // The bar's width is a CSS variable set through the DOM, which the Content-Security-Policy allows.
  const depth = { "--depth": `${row.depthPerMille / 10}%` } as CSSProperties;
  return (
    <tr className={`book-row book-row-${side}`} style={depth}>
      <td className={`num ${side === "bid" ? "buy" : "sell"}`}>{groupThousands(row.price)}</td>
      <td className="num">{groupThousands(row.quantity)}</td>
      <td className="num muted">{groupThousands(row.cumulative)}</td>
    </tr>
  );
}

/** The live book: asks above (best at the bottom), the spread, bids below, each level with its depth bar. */
export function OrderBookPanel(props: {
  book: Book | undefined;
  state: StreamState;
  base: string;
  quote: string;
}) {
  const view = props.book ? bookView(props.book, ROWS_PER_SIDE) : undefined;
  const asks = padded(view?.asks ?? []).reverse();
  const bids = padded(view?.bids ?? []);
  const spread = view?.spread;
  return (
    <section aria-label="Order book" className="panel book-panel">
      <h2>Order book</h2>
      <table className="book-table">
        <thead>
          <tr>
            <th scope="col" className="num">
              Price ({props.quote})
            </th>
            <th scope="col" className="num">
              Quantity ({props.base})
            </th>
            <th scope="col" className="num">
              Total
            </th>
          </tr>
        </thead>
        <tbody aria-label="Asks">
          {asks.map((row, index) => (
            <LevelRow key={row?.price ?? `empty-${index}`} row={row} side="ask" />
          ))}
        </tbody>
        <tbody>
          <tr className="book-spread">
            <td colSpan={3}>
              {spread
                ? `Spread ${groupThousands(spread.absolute)} (${spread.percent}%)`
                : props.state === "live"
                  ? "No spread: a side is empty"
                  : "Connecting to the book…"}
            </td>
          </tr>
        </tbody>
        <tbody aria-label="Bids">
          {bids.map((row, index) => (
            <LevelRow key={row?.price ?? `empty-${index}`} row={row} side="bid" />
          ))}
        </tbody>
      </table>
    </section>
  );
}
