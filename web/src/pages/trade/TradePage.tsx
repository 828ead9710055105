import { useMemo, useState } from "react";
import { Link, useParams } from "react-router";
import { useSession } from "../../api/session.ts";
import { ErrorMessage } from "../../components/ErrorMessage.tsx";
import { CandleChart } from "./CandleChart.tsx";
import { openOrders, orderHistory } from "./my-orders.ts";
import { OpenOrders } from "./OpenOrders.tsx";
import { OrderBookPanel } from "./OrderBookPanel.tsx";
import { OrderForm } from "./OrderForm.tsx";
import { OrderHistory } from "./OrderHistory.tsx";
import { TradesTape } from "./TradesTape.tsx";
import { useMarketRules } from "./use-market-rules.ts";
import { useMyOrders } from "./use-my-orders.ts";
import { useOrderBook } from "./use-order-book.ts";
import { useTrades } from "./use-trades.ts";
import "./trade.css";

/** Closed orders listed under the open ones. */
const HISTORY_LENGTH = 50;

/** One market: chart, live book and trades, order entry, and the caller's open and closed orders. */
export default function TradePage() {
  const market = (useParams().market ?? "").toUpperCase();
  const session = useSession();
  const { rules, error } = useMarketRules(market);
  const { book, state: bookState } = useOrderBook(market);
  const { trades } = useTrades(market);
  const { orders, state: ordersState } = useMyOrders(market);
  const [pickedPrice, setPickedPrice] = useState<{ market: string; price: string; count: number }>();
  const pickPrice = (price: string) =>
    setPickedPrice((last) => ({ market, price, count: (last?.count ?? 0) + 1 }));

  const available = useMemo(
    () =>
      ordersState === undefined || orders.sequence === undefined
        ? undefined
        : new Map([...orders.balances.values()].map((balance) => [balance.asset, balance.available])),
    [orders, ordersState],
  );
  const base = rules?.base ?? market.split("-")[0] ?? "";
  const quote = rules?.quote ?? market.split("-")[1] ?? "";

  return (
    <div className="page trade-page">
      <header className="trade-header">
        <h1>{market}</h1>
        {rules?.halted && <p className="halted-banner">Trading is halted in this market.</p>}
      </header>
      <ErrorMessage error={error} />
      <div className="trade-grid">
        <CandleChart market={market} trades={trades} />
        <OrderBookPanel
          onPickPrice={session ? pickPrice : undefined}
          book={book}
          state={bookState}
          base={base}
          quote={quote}
        />
        <TradesTape trades={trades} base={base} quote={quote} />
        {session ? (
          rules && (
            <OrderForm
              key={market}
              market={market}
              rules={rules}
              available={available}
              bestBid={book?.bids[0]?.price}
              bestAsk={book?.asks[0]?.price}
              pickedPrice={pickedPrice?.market === market ? pickedPrice : undefined}
            />
          )
        ) : (
          <section aria-label="Place order" className="panel order-form">
            <h2>Place order</h2>
            <p>
              <Link to={`/login?next=${encodeURIComponent(`/trade/${market}`)}`}>Log in to trade</Link> or{" "}
              <Link to="/register">create an account</Link>.
            </p>
          </section>
        )}
      </div>
      {session && rules && (
        <div className="trade-orders">
          <OpenOrders orders={openOrders(orders, market)} rules={rules} />
          <OrderHistory orders={orderHistory(orders, market, HISTORY_LENGTH)} rules={rules} />
        </div>
      )}
    </div>
  );
}
