import { Code, ConnectError } from "@connectrpc/connect";

/** Why the ledger refused a change; each maps to one RPC code. Nothing was written in any case. */
export type LedgerErrorReason =
  | "invalid_argument"
  | "insufficient_funds"
  | "no_balance"
  | "hold_not_found"
  | "exceeds_hold"
  | "balance_limit"
  | "idempotency_conflict"
  | "stale_fence"
  | "contention"
  | "inconsistent_state";

const codes: Record<LedgerErrorReason, Code> = {
  invalid_argument: Code.InvalidArgument,
  insufficient_funds: Code.FailedPrecondition,
  no_balance: Code.FailedPrecondition,
  hold_not_found: Code.NotFound,
  exceeds_hold: Code.FailedPrecondition,
  balance_limit: Code.FailedPrecondition,
  idempotency_conflict: Code.AlreadyExists,
  // Not worth retrying: the writer no longer owns the market, or never did.
  stale_fence: Code.FailedPrecondition,
  contention: Code.Aborted,
  inconsistent_state: Code.Internal,
};

/**
 * A refusal by the ledger. It is a ConnectError carrying the right code, so RPC handlers can let it
 * through, and it keeps a `reason` for callers that act on it in-process (the matching service).
 * It keeps ConnectError's name, which ConnectError's own `instanceof` check relies on.
 */
export class LedgerError extends ConnectError {
  constructor(
    readonly reason: LedgerErrorReason,
    message: string,
  ) {
    super(message, codes[reason]);
  }

  /** ConnectError's `instanceof` accepts any ConnectError; this one only a LedgerError. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return (
      typeof value === "object" &&
      value !== null &&
      Object.prototype.isPrototypeOf.call(LedgerError.prototype, value)
    );
  }
}
