import { Counter, Gauge, type Registry } from "prom-client";
import type { CancelReason } from "./domain/quote-plan.js";
import type { QuoteSide } from "./domain/quoted-market.js";

/** Business metrics of the market maker, beside the runtime's RED metrics. */
export function createMarketMakerMetrics(registry: Registry) {
  const quotes = new Gauge({
    name: "marketmaker_quotes",
    help: "Open quotes after the last cycle, by market and side",
    labelNames: ["market", "side"] as const,
    registers: [registry],
  });
  const placed = new Counter({
    name: "marketmaker_orders_placed_total",
    help: "Quotes placed, by market, side and the status the engine left them in",
    labelNames: ["market", "side", "status"] as const,
    registers: [registry],
  });
  const canceled = new Counter({
    name: "marketmaker_orders_canceled_total",
    help: "Quotes canceled, by market and reason (repriced, refill, duplicate, unwanted)",
    labelNames: ["market", "reason"] as const,
    registers: [registry],
  });
  const deposits = new Counter({
    name: "marketmaker_deposits_total",
    help: "Simulated deposits made to fund the quotes, by asset",
    labelNames: ["asset"] as const,
    registers: [registry],
  });
  const cycles = new Counter({
    name: "marketmaker_cycles_total",
    help: "Quote cycles, by outcome (ok, failed)",
    labelNames: ["outcome"] as const,
    registers: [registry],
  });
  return {
    setQuotes: (market: string, side: QuoteSide, count: number) => quotes.set({ market, side }, count),
    placed: (market: string, side: QuoteSide, status: string) => placed.inc({ market, side, status }),
    canceled: (market: string, reason: CancelReason) => canceled.inc({ market, reason }),
    deposited: (asset: string) => deposits.inc({ asset }),
    cycle: (outcome: "ok" | "failed") => cycles.inc({ outcome }),
  };
}

export type MarketMakerMetrics = ReturnType<typeof createMarketMakerMetrics>;
