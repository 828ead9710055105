import {
  type ConflictRetryPolicy,
  isWriteConflict,
  retryOnConflict,
  type Store,
  type TransactItem,
  TransactionCanceledError,
} from "@bourse/common/storage";
import { LedgerError } from "./ledger-error.js";

/** How often and how patiently a change is retried when a concurrent change got there first. */
export type RetryPolicy = ConflictRetryPolicy;

/** Enough for dozens of concurrent changes to one balance to all get through. */
export const defaultRetryPolicy: RetryPolicy = { maxAttempts: 100, baseDelayMs: 5, maxDelayMs: 400 };

/**
 * One read-decide-write round. Without items the outcome is known without writing (a replay);
 * otherwise the outcome holds once the items commit. `fenceIndex` names the fencing item, whose
 * failure means the caller lost ownership rather than a race worth retrying.
 */
export interface Attempt<T> {
  readonly result: T;
  readonly items?: readonly TransactItem[];
  readonly fenceIndex?: number;
}

/**
 * Runs `attempt` until its transaction commits. Every write is conditioned on what the attempt read
 * (balance versions, markers that must not exist yet), so a cancellation means something changed
 * in between: read again and decide again. The next round sees a concurrent duplicate as a replay,
 * and a balance that fell too low as insufficient funds.
 */
export async function runOptimistic<T>(
  store: Store,
  attempt: () => Promise<Attempt<T>>,
  policy: RetryPolicy = defaultRetryPolicy,
): Promise<T> {
  const round = async (): Promise<T> => {
    const { result, items, fenceIndex } = await attempt();
    if (!items) return result;
    try {
      await store.transactWrite(items);
    } catch (error) {
      const fenceFailed =
        error instanceof TransactionCanceledError &&
        isWriteConflict(error) &&
        fenceIndex !== undefined &&
        error.reasons[fenceIndex] === "ConditionalCheckFailed";
      if (!fenceFailed) throw error;
      throw new LedgerError(
        "stale_fence",
        "the market's fence does not carry this fencing token: the writer does not own the market",
      );
    }
    return result;
  };
  return retryOnConflict(
    round,
    policy,
    () => new LedgerError("contention", "too many concurrent changes to the same balance; retry"),
  );
}
