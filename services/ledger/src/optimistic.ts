import { type Store, type TransactItem, TransactionCanceledError } from "@bourse/common/storage";
import { LedgerError } from "./ledger-error.js";

/** How often and how patiently a change is retried when a concurrent change got there first. */
export interface RetryPolicy {
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

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

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs `attempt` until its transaction commits. Every write is conditioned on what the attempt read
 * (balance versions, markers that must not exist yet), so a cancellation means something changed
 * in between: read again and decide again. The next round sees a concurrent duplicate as a replay,
 * and a balance that fell too low as insufficient funds. Backoff is exponential with full jitter.
 */
export async function runOptimistic<T>(
  store: Store,
  attempt: () => Promise<Attempt<T>>,
  policy: RetryPolicy = defaultRetryPolicy,
): Promise<T> {
  for (let round = 1; ; round++) {
    const { result, items, fenceIndex } = await attempt();
    if (!items) return result;
    try {
      await store.transactWrite(items);
      return result;
    } catch (error) {
      if (!(error instanceof TransactionCanceledError) || error.reasons.includes("ValidationError"))
        throw error;
      if (fenceIndex !== undefined && error.reasons[fenceIndex] === "ConditionalCheckFailed") {
        throw new LedgerError(
          "stale_fence",
          "the market's fence does not carry this fencing token: the writer does not own the market",
        );
      }
      if (round >= policy.maxAttempts) {
        throw new LedgerError("contention", "too many concurrent changes to the same balance; retry");
      }
      await sleep(Math.random() * Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** round));
    }
  }
}
