import type { Balance } from "@bourse/ledger";
import type { MarketBook } from "../domain/market-book.js";
import type { CommandOutcome } from "../domain/outcome.js";

export interface CommittedOutcomes {
  readonly market: string;
  /** Outcomes fully written since the previous call for this market, in command order. */
  readonly outcomes: readonly CommandOutcome[];
  /** Latest state (with `version`) of every balance the current batch's transactions have written so far. */
  readonly balances: readonly Balance[];
}

/**
 * Told what a market's runner does, for what is published from it (market data, user updates). Only what
 * has committed is told, so a listener never publishes a change that a crash could undo. Every method must
 * return at once: enqueue, never await, never throw, since matching waits for none of them.
 */
export interface MarketListener {
  /**
   * The runner of `market` starts on a book rebuilt from the table, before any command runs on it, under the
   * lease whose fencing token its writes carry (a listener writing for the market writes under it too).
   */
  started(market: string, book: MarketBook, fencingToken: bigint): void;
  /** Outcomes committed: told once the transaction holding their last part has committed. */
  committed(batch: CommittedOutcomes): void;
  /** The runner stopped (lease lost, released, or failed and being rebuilt: a new `started` follows then). */
  stopped(market: string): void;
}
