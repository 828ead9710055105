import { MarketDataService } from "@bourse/proto/bourse/marketdata/v1/market_data_service_pb";
import type { Trade } from "@bourse/proto/bourse/marketdata/v1/trade_pb";
import { useQuery } from "@connectrpc/connect-query";
import type { CandlestickData, IChartApi, ISeriesApi, UTCTimestamp } from "lightweight-charts";
import { useEffect, useMemo, useRef, useState } from "react";
import { ErrorMessage } from "../../components/ErrorMessage.tsx";
import {
  type CandleIntervalChoice,
  type ChartCandle,
  candleIntervals,
  chartCandleOf,
  foldTrades,
} from "./candles.ts";

/** Candles read per interval: enough to fill a wide chart. */
const CANDLES = 300;

/**
 * The chart's drawing input. The canvas plots positions, so prices become numbers here and only here, for
 * drawing; every figure the user reads elsewhere stays a decimal string.
 */
const toBar = (candle: ChartCandle): CandlestickData<UTCTimestamp> => ({
  time: (candle.openTimeMs / 1000) as UTCTimestamp,
  open: Number(candle.open),
  high: Number(candle.high),
  low: Number(candle.low),
  close: Number(candle.close),
});

/** Colours of the app's dark theme (styles.css), which the canvas cannot read from CSS. */
const theme = { text: "#9da7b3", grid: "#21262d", buy: "#3fb950", sell: "#f85149" };

/**
 * Candles of the market (GetCandles) for the chosen interval, kept live by folding in the trades of the
 * tape. lightweight-charts is imported when the chart mounts, so it is its own chunk, off the first page.
 */
export function CandleChart({ market, trades }: { market: string; trades: readonly Trade[] }) {
  const [choice, setChoice] = useState<CandleIntervalChoice>(candleIntervals[0]);
  const candles = useQuery(MarketDataService.method.getCandles, {
    market,
    interval: choice.interval,
    limit: CANDLES,
  });
  const container = useRef<HTMLDivElement>(null);
  const [series, setSeries] = useState<ISeriesApi<"Candlestick">>();
  const [loadError, setLoadError] = useState<unknown>();

  useEffect(() => {
    let chart: IChartApi | undefined;
    let disposed = false;
    import("lightweight-charts")
      .then(({ CandlestickSeries, createChart }) => {
        if (disposed || !container.current) return;
        chart = createChart(container.current, {
          autoSize: true,
          layout: { background: { color: "transparent" }, textColor: theme.text, attributionLogo: false },
          grid: { vertLines: { color: theme.grid }, horzLines: { color: theme.grid } },
          timeScale: { timeVisible: true, secondsVisible: false },
        });
        setSeries(
          chart.addSeries(CandlestickSeries, {
            upColor: theme.buy,
            borderUpColor: theme.buy,
            wickUpColor: theme.buy,
            downColor: theme.sell,
            borderDownColor: theme.sell,
            wickDownColor: theme.sell,
          }),
        );
      })
      .catch(setLoadError);
    return () => {
      disposed = true;
      chart?.remove();
      setSeries(undefined);
    };
  }, []);

  const bars = useMemo(() => {
    const read = candles.data?.candles.map(chartCandleOf) ?? [];
    return foldTrades(read, [...trades].reverse(), choice.ms).map(toBar);
  }, [candles.data, trades, choice.ms]);

  useEffect(() => {
    series?.setData(bars);
  }, [series, bars]);

  return (
    <section aria-label="Price chart" className="panel chart-panel">
      <div className="chart-header">
        <h2>Price chart</h2>
        <fieldset className="interval-switch">
          <legend className="visually-hidden">Candle interval</legend>
          {candleIntervals.map((option) => (
            <button
              key={option.label}
              type="button"
              aria-pressed={option.interval === choice.interval}
              onClick={() => setChoice(option)}
            >
              {option.label}
            </button>
          ))}
        </fieldset>
      </div>
      <div
        ref={container}
        className="chart-canvas"
        role="img"
        aria-label={`${market} candles, ${choice.label}`}
      />
      <ErrorMessage error={candles.error ?? loadError} />
      {candles.data && bars.length === 0 && (
        <p className="muted chart-empty">No trades in this market yet.</p>
      )}
      <p className="chart-credit muted">
        Chart by{" "}
        <a href="https://www.tradingview.com/" rel="noreferrer" target="_blank">
          TradingView
        </a>
      </p>
    </section>
  );
}
