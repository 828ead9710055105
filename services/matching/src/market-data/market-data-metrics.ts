import { Counter, Gauge, type Registry } from "prom-client";

export type MarketDataStream = "order_book" | "trades" | "tickers";

/** Fan-out metrics of MarketDataService's streams. */
export interface MarketDataMetrics {
  readonly subscribers: Gauge<"stream">;
  readonly messagesSent: Counter<"stream">;
  /** Book deltas merged into a reader's pending one because it had not taken the previous yet. */
  readonly conflated: Counter;
  /** `reason`: slow (a trade reader past its buffer), moved (the market left this replica). */
  readonly droppedSubscribers: Counter<"stream" | "reason">;
}

export function createMarketDataMetrics(registry: Registry): MarketDataMetrics {
  const registers = [registry];
  return {
    subscribers: new Gauge({
      name: "marketdata_subscribers",
      help: "Market data streams open",
      labelNames: ["stream"],
      registers,
    }),
    messagesSent: new Counter({
      name: "marketdata_messages_sent_total",
      help: "Messages sent on market data streams",
      labelNames: ["stream"],
      registers,
    }),
    conflated: new Counter({
      name: "marketdata_conflated_total",
      help: "Book deltas merged into a slower reader's pending delta",
      registers,
    }),
    droppedSubscribers: new Counter({
      name: "marketdata_dropped_subscribers_total",
      help: "Market data streams the server ended",
      labelNames: ["stream", "reason"],
      registers,
    }),
  };
}
