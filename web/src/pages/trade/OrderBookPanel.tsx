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

/** Puts a level's price into the order form. */
type PickPrice = (price: string) => void;

function LevelRow({
  row,
  side,
  onPick,
}: {
  row: DepthRow | undefined;
  side: "bid" | "ask";
  onPick: PickPrice | undefined;
}) {
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
      <td className={`num ${side === "bid" ? "buy" : "sell"}`}>
        {onPick ? (
          // A shortcut for the pointer only: the keyboard types the price into the form instead of tabbing
          // through every level of the book.
          <button type="button" tabIndex={-1} className="book-price" onClick={() => onPick(row.price)}>
            {groupThousands(row.price)}
          </button>
        ) : (
          groupThousands(row.price)
        )}
      </td>
      <td className="num">{groupThousands(row.quantity)}</td>
      <td className="num muted">{groupThousands(row.cumulative)}</td>
    </tr>
  );
}

/** The live book: asks above (best at the bottom), the spread, bids below, each level with its depth bar. */
export function OrderBookPanel(props: {
  /** Called with a level's price when it is clicked; without it, prices are plain text. */
  onPickPrice?: PickPrice | undefined;
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
            <LevelRow key={row?.price ?? `empty-${index}`} row={row} side="ask" onPick={props.onPickPrice} />
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
            <LevelRow key={row?.price ?? `empty-${index}`} row={row} side="bid" onPick={props.onPickPrice} />
          ))}
        </tbody>
      </table>
    </section>
  );
}
