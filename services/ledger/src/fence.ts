import { type Lease, LockLostError, type LockService, type RetryPolicy } from "@bourse/common/locks";
import { ConditionFailedError, cond, type Store, type TransactItem, toBigInt } from "@bourse/common/storage";
import { marketSequenceKey } from "./keys.js";
import { LedgerError } from "./ledger-error.js";
import { parseMarket } from "./settlement.js";

/** The lock resource of a market's single writer (DESIGN §3.4), in every lock store. */
export const marketLockResource = (market: string): string => `market:${market}`;

/** The fencing token stored on the market's sequence item; absent before the market's first owner. */
export async function readMarketFence(store: Store, market: string): Promise<bigint | undefined> {
  const item = await store.get(marketSequenceKey(market));
  const token = item?.fencingToken;
  if (token === undefined) return undefined;
  if (typeof token !== "number" && typeof token !== "bigint") {
    throw new LedgerError("inconsistent_state", `the fence of ${market} is not a number`);
  }
  return toBigInt(token);
}

export interface ClaimOptions {
  readonly ttlMs: number;
  readonly retry?: RetryPolicy;
}

/**
 * Takes a market for its single writer. The DynamoDB fence is the source of truth: the lock service
 * issues a token above the stored one even if it lost its counter (a Redis flush or failover), and
 * the fence is raised to that token before the lease is handed out. From then on every settlement
 * of an older owner fails its fence clause, before the new owner has settled anything.
 * Throws the lock port's errors: `LockUnavailableError` while another owner holds the market,
 * `LockLostError` when a newer owner raised the fence first (the lease is released).
 */
export async function claimMarket(
  locks: LockService,
  store: Store,
  market: string,
  options: ClaimOptions,
): Promise<Lease> {
  parseMarket(market);
  const resource = marketLockResource(market);
  const stored = await readMarketFence(store, market);
  const lease = await locks.acquire(resource, {
    ttlMs: options.ttlMs,
    retry: options.retry,
    minToken: stored === undefined ? undefined : stored + 1n,
  });
  try {
    await store.update(
      marketSequenceKey(market),
      { set: { fencingToken: lease.fencingToken } },
      {
        condition: cond.or(cond.notExists("fencingToken"), cond.lt("fencingToken", lease.fencingToken)),
      },
    );
  } catch (error) {
    await lease.release();
    if (error instanceof ConditionFailedError) throw new LockLostError(resource, { cause: error });
    throw error;
  }
  return lease;
}

/**
 * The fencing clause of a settlement transaction: the market's sequence item must carry exactly the
 * caller's token, which its owner wrote there when it claimed the market (`claimMarket`). A token
 * nobody claimed with, an older owner's and a made-up larger one all fail it, and it never moves the
 * fence, so no caller can lock a market's settlements out by choosing a token.
 */
export function marketFenceItem(market: string, fencingToken: bigint): TransactItem {
  if (fencingToken <= 0n) throw new LedgerError("invalid_argument", "fencing_token must be positive");
  return {
    kind: "conditionCheck",
    key: marketSequenceKey(market),
    condition: cond.eq("fencingToken", fencingToken),
  };
}
