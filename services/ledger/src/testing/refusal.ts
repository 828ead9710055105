import { LedgerError, type LedgerErrorReason } from "../ledger-error.js";

/** The reason the ledger refuses a call with; throws when the call succeeds or fails otherwise. */
export async function refusal(call: Promise<unknown>): Promise<LedgerErrorReason> {
  try {
    await call;
  } catch (error) {
    if (error instanceof LedgerError) return error.reason;
    throw error;
  }
  throw new Error("expected the ledger to refuse");
}
