import type { TradeToSettle } from "@bourse/ledger";
import type { AccountTradeRecord, OrderRecord } from "@bourse/trading";
import type { LevelState } from "../market-data/market-feed.js";

/**
 * What one command did to a market, in the order it happened, as the settlement writes it: the
 * matching service turns each step and the closing part into DynamoDB transaction items (docs/order-flow.md).
 *
 * A command's steps may be split over several transactions; `takerAfter` is then written as the taker's
 * state (with no `bookSeq`, i.e. pending) in every transaction but the last, which writes `closing`.
 */
export interface CommandOutcome {
  /** Matching's sequence number after the command: the `MARKET#<m>`/`BOOK` item's `seq`. */
  readonly seq: number;
  /** One per fill, in execution order. */
  readonly steps: readonly FillStep[];
  /** Everything after the last fill: final order states, hold releases. */
  readonly closing: ClosingEffects;
  /** What the caller is told once the outcome has committed. */
  readonly report: CommandReport;
  /**
   * The book levels the command changed, each in its state after the command (quantity "0" when it is
   * gone), one per side and price, in the order they first changed: market data's delta.
   */
  readonly levels: readonly LevelState[];
  /** The command's time (`now`). */
  readonly at: Date;
}

export interface FillStep {
  /** Trade id = the trade's sequence number as a decimal string; fees included, in quote. */
  readonly trade: TradeToSettle;
  /** The maker's order after this fill (done and closed when it left the book). */
  readonly makerAfter: OrderRecord;
  /** The taker's progress after this fill, to be written with no `bookSeq` if the outcome is cut here. */
  readonly takerAfter: OrderRecord;
  /** The buyer's and the seller's view of the trade. */
  readonly accountTrades: readonly [AccountTradeRecord, AccountTradeRecord];
  /** Releases that this fill makes due: the rest of a maker's hold when the fill completed it. */
  readonly releases: readonly HoldRelease[];
}

export interface ClosingEffects {
  /** Orders whose state changed outside the fills: the taker's final state, amended, canceled or expired orders. */
  readonly orders: readonly OrderRecord[];
  /** What remains of the holds of orders that are done; an amend releases nothing. */
  readonly releases: readonly HoldRelease[];
}

export interface HoldRelease {
  readonly accountId: string;
  readonly asset: string;
  /** The order's hold (reference id = order id). */
  readonly holdReferenceId: string;
  /** `<orderId>:close`: an order's hold is released once, when it is done, so a replay cannot release twice. */
  readonly referenceId: string;
  /** Units, or everything that remains under the hold. */
  readonly amount: bigint | "all";
}

export type CommandReport =
  | { readonly kind: "order"; readonly order: OrderRecord; readonly trades: readonly AccountTradeRecord[] }
  | { readonly kind: "unknown_order" }
  /** A command the market refuses as it stands (an amend that would take as post-only, or need more funds). */
  | {
      readonly kind: "refused";
      readonly code: "failed_precondition" | "invalid_argument";
      readonly message: string;
    };
