import type { OrderRecord } from "@bourse/trading";
import type { CommandReport, FillStep } from "../domain/outcome.js";

/**
 * What MatchingService asks of one market's runner; every order is named by id and read from the store,
 * except an order handed over in-process by the service that has just stored it.
 */
export type MatchingCommand =
  | {
      readonly kind: "submit";
      readonly orderId: string;
      /** The account the caller says owns the order; checked against the stored order when given. */
      readonly accountId?: string;
      /**
       * The stored order, handed over in-process by the orders service that has just written it (never from
       * a request: over the network the stored order is read). The runner uses it in place of a read while
       * it can be sure no command has processed the order since (see `HandedOverOrders`).
       */
      readonly stored?: OrderRecord;
    }
  | { readonly kind: "cancel"; readonly orderId: string; readonly accountId: string }
  | {
      readonly kind: "amend";
      readonly orderId: string;
      readonly accountId: string;
      readonly change: { readonly price?: string; readonly remainingQuantity?: string };
    };

/** A command's answer, given once everything it changed has committed. */
export interface CommandResult {
  readonly report: Extract<CommandReport, { kind: "order" }>;
  /** The market's sequence after the command. */
  readonly seq: number;
  /** The fills the command made, in order (they name the maker of each trade). */
  readonly steps: readonly FillStep[];
  /** True when the command found its work already done (a resubmitted order, a repeated cancel). */
  readonly replayed: boolean;
}
