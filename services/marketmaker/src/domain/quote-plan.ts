import { BPS, commonScale, unitsAt } from "./exact.js";
import { parseQuoteTag } from "./quote-tag.js";
import type { LadderQuote, QuoteSide } from "./quoted-market.js";

/** One of the market maker's open orders, as ListOrders shows it. */
export interface OpenQuote {
  readonly orderId: string;
  readonly clientOrderId: string;
  readonly side: QuoteSide;
  readonly price: string;
  readonly remainingQuantity: string;
}

/**
 * Why an open order goes: `repriced` (its price drifted past the tolerance), `refill` (fills left less
 * than half the level's quantity), `duplicate` (another order already holds its level), `unwanted`
 * (no such level in the ladder now, or not one of the ladder's orders at all).
 */
export type CancelReason = "repriced" | "refill" | "duplicate" | "unwanted";

export interface QuotePlan {
  readonly cancel: ReadonlyArray<{ readonly orderId: string; readonly reason: CancelReason }>;
  /** Levels with no acceptable order: placed after the cancels, so a new quote never meets a stale one. */
  readonly place: readonly LadderQuote[];
}

const levelKey = (side: QuoteSide, level: number) => `${side}:${level}`;

/** |price − wanted| ≤ wanted × tolerance, exactly. */
function withinTolerance(price: string, wanted: string, toleranceBps: number): boolean {
  const scale = commonScale(price, wanted);
  const distance = unitsAt(price, scale) - unitsAt(wanted, scale);
  const magnitude = distance < 0n ? -distance : distance;
  return magnitude * BPS <= unitsAt(wanted, scale) * BigInt(toleranceBps);
}

/** Fills left the order under half the level's quantity. */
function depleted(remaining: string, wanted: string): boolean {
  const scale = commonScale(remaining, wanted);
  return 2n * unitsAt(remaining, scale) < unitsAt(wanted, scale);
}

/**
 * What to cancel and what to place so that one market's open orders become the `desired` ladder. An
 * open order that still fits its level is kept, so its place in the queue is not thrown away for a
 * move smaller than `toleranceBps`; for a level held by several orders, the oldest acceptable one
 * stays. Pure: order ids are ULIDs, so sorting them sorts by age.
 */
export function planQuotes(
  desired: readonly LadderQuote[],
  open: readonly OpenQuote[],
  toleranceBps: number,
): QuotePlan {
  const wanted = new Map(desired.map((quote) => [levelKey(quote.side, quote.level), quote]));
  const kept = new Set<string>();
  const cancel: Array<{ orderId: string; reason: CancelReason }> = [];
  const oldestFirst = [...open].sort((a, b) => (a.orderId < b.orderId ? -1 : a.orderId > b.orderId ? 1 : 0));
  for (const order of oldestFirst) {
    const tag = parseQuoteTag(order.clientOrderId);
    const key = tag && tag.side === order.side ? levelKey(tag.side, tag.level) : undefined;
    const quote = key === undefined ? undefined : wanted.get(key);
    if (key === undefined || quote === undefined) {
      cancel.push({ orderId: order.orderId, reason: "unwanted" });
    } else if (kept.has(key)) {
      cancel.push({ orderId: order.orderId, reason: "duplicate" });
    } else if (!withinTolerance(order.price, quote.price, toleranceBps)) {
      cancel.push({ orderId: order.orderId, reason: "repriced" });
    } else if (depleted(order.remainingQuantity, quote.quantity)) {
      cancel.push({ orderId: order.orderId, reason: "refill" });
    } else {
      kept.add(key);
    }
  }
  const place = desired.filter((quote) => !kept.has(levelKey(quote.side, quote.level)));
  return { cancel, place };
}
