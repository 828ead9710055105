import type { Ticker } from "@bourse/proto/bourse/marketdata/v1/ticker_pb";
import { Link } from "react-router";
import { displayDecimal, displaySigned } from "../../lib/display-decimal.ts";
import { changeDirection, directionClass } from "./ticker-table.ts";

const arrows = { up: "▲", down: "▼", flat: "", none: "" } as const;

/** One market of the tickers table; the market name links to its trade page. */
export function TickerRow({ ticker }: { ticker: Ticker }) {
  const direction = changeDirection(ticker.change24hPercent);
  return (
    <tr>
      <th scope="row">
        <Link to={`/trade/${ticker.market}`}>{ticker.market}</Link>
      </th>
      <td className="num">{displayDecimal(ticker.lastPrice)}</td>
      <td className={`num ${directionClass(direction)}`}>
        {direction === "none" ? (
          <span title="No trade in the last 24 hours">—</span>
        ) : (
          <>
            <span aria-hidden="true">{arrows[direction]} </span>
            {displaySigned(ticker.change24hPercent, 2)}%
          </>
        )}
      </td>
      <td className="num">{displayDecimal(ticker.quoteVolume24h, 2)}</td>
      <td className="num">{displayDecimal(ticker.bestBid)}</td>
      <td className="num">{displayDecimal(ticker.bestAsk)}</td>
      <td className="num">{displayDecimal(ticker.high24h)}</td>
      <td className="num">{displayDecimal(ticker.low24h)}</td>
    </tr>
  );
}
