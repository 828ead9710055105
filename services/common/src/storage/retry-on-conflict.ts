import { ConditionFailedError, TransactionCanceledError } from "./errors.js";

/** How often and how patiently an optimistic change is run again when a concurrent change got there first. */
export interface ConflictRetryPolicy {
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

/**
 * True when a write lost a race: a condition on what was read no longer held, or a transaction was
 * canceled by a condition or a concurrent transaction. A transaction refused as invalid never is.
 */
export function isWriteConflict(error: unknown): boolean {
  if (error instanceof ConditionFailedError) return true;
  return error instanceof TransactionCanceledError && !error.reasons.includes("ValidationError");
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Optimistic concurrency: runs `attempt` (read, decide, write under conditions on what it read) until
 * it succeeds. An attempt whose write lost a race is run again, so that it reads the winner's change,
 * after an exponential backoff with full jitter; any other error ends at once. When every attempt
 * lost, throws what `exhausted` gives, a retryable error for the caller's caller.
 */
export async function retryOnConflict<T>(
  attempt: () => Promise<T>,
  policy: ConflictRetryPolicy,
  exhausted: () => Error,
): Promise<T> {
  for (let round = 1; ; round++) {
    try {
      return await attempt();
    } catch (error) {
      if (!isWriteConflict(error)) throw error;
      if (round >= policy.maxAttempts) throw exhausted();
      await sleep(Math.random() * Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** round));
    }
  }
}
