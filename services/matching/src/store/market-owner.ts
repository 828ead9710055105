import { ConditionFailedError, cond, type Store, toBigInt } from "@bourse/common/storage";
import { marketSequenceKey } from "@bourse/ledger";

/** Who owns a market, as its owner recorded it on the market's sequence item. */
export interface MarketOwner {
  readonly ownerId: string;
  /** Where the owner serves MatchingService; empty when it could not tell. */
  readonly ownerUrl: string;
  readonly fencingToken: bigint;
}

/**
 * Records this replica as the market's owner, after `claimMarket` raised the fence to its token. The
 * update is conditioned on the fence still carrying that token, so a slower, older owner can never
 * overwrite a newer one's address. False when a newer owner got there first.
 * It is never part of a settlement transaction: that one only checks the same item.
 */
export async function recordMarketOwner(store: Store, market: string, owner: MarketOwner): Promise<boolean> {
  try {
    await store.update(
      marketSequenceKey(market),
      { set: { ownerId: owner.ownerId, ownerUrl: owner.ownerUrl } },
      { condition: cond.eq("fencingToken", owner.fencingToken) },
    );
    return true;
  } catch (error) {
    if (error instanceof ConditionFailedError) return false;
    throw error;
  }
}

/** The market's last recorded owner, or undefined when no owner ever recorded itself. */
export async function readMarketOwner(store: Store, market: string): Promise<MarketOwner | undefined> {
  const item = await store.get(marketSequenceKey(market));
  if (item?.ownerId === undefined || item.fencingToken === undefined) return undefined;
  return {
    ownerId: String(item.ownerId),
    ownerUrl: String(item.ownerUrl ?? ""),
    fencingToken: toBigInt(item.fencingToken as number | bigint),
  };
}
