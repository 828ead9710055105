import { Counter, Gauge, Histogram, type Registry } from "prom-client";

/** Business metrics of the matching service (DESIGN §5): ownership, orders, trades and settlement. */
export interface MatchingMetrics {
  readonly ownedMarkets: Gauge;
  /** `event`: acquired, lost (lease or fence), released (shutdown). */
  readonly ownershipChanges: Counter<"market" | "event">;
  /** Orders entered into a book, by the status they had once the command committed. */
  readonly orders: Counter<"market" | "status">;
  readonly trades: Counter<"market">;
  /** Commands written by one group commit. */
  readonly settlementBatchCommands: Histogram;
  /** Items of one settlement transaction. */
  readonly settlementTransactionItems: Histogram;
  /** From the start of a group commit's writes until its last transaction committed. */
  readonly settlementSeconds: Histogram;
}

export function createMatchingMetrics(registry: Registry): MatchingMetrics {
  const registers = [registry];
  return {
    ownedMarkets: new Gauge({
      name: "matching_owned_markets",
      help: "Markets this replica owns and matches",
      registers,
    }),
    ownershipChanges: new Counter({
      name: "matching_lock_ownership_changes_total",
      help: "Markets this replica acquired, lost or released",
      labelNames: ["market", "event"],
      registers,
    }),
    orders: new Counter({
      name: "matching_orders_total",
      help: "Orders entered into a book, by status after matching",
      labelNames: ["market", "status"],
      registers,
    }),
    trades: new Counter({
      name: "matching_trades_total",
      help: "Trades settled",
      labelNames: ["market"],
      registers,
    }),
    settlementBatchCommands: new Histogram({
      name: "matching_settlement_batch_commands",
      help: "Commands written by one group commit",
      buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256],
      registers,
    }),
    settlementTransactionItems: new Histogram({
      name: "matching_settlement_transaction_items",
      help: "Items of one settlement transaction",
      buckets: [2, 5, 10, 20, 40, 60, 80, 100],
      registers,
    }),
    settlementSeconds: new Histogram({
      name: "matching_settlement_duration_seconds",
      help: "Time to write one group commit, all its transactions included",
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    }),
  };
}
