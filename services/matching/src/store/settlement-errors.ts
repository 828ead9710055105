import type { LedgerError } from "@bourse/ledger";

/** The market's fence refused a settlement: another replica claimed the market since this one did. */
export class FenceLostError extends Error {
  constructor(
    readonly market: string,
    options?: ErrorOptions,
  ) {
    super(`the fence of ${market} refused this owner's settlement: another replica owns the market`, options);
    this.name = "FenceLostError";
  }
}

/**
 * The ledger refused an operation the engine produced (a trade beyond a hold, a conflicting replay): the
 * book and the ledger disagree, so nothing of the batch may be written.
 */
export class SettlementRefusedError extends Error {
  constructor(
    readonly market: string,
    readonly refusal: LedgerError,
  ) {
    super(`the ledger refused a settlement of ${market}: ${refusal.reason}: ${refusal.message}`, {
      cause: refusal,
    });
    this.name = "SettlementRefusedError";
  }
}
