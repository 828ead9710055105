import { parseDecimal } from "@bourse/common/money";
import type { BookSide, LevelState } from "./market-feed.js";

/** Fixed scale of the sort keys: any price of any market fits it exactly. */
const KEY_SCALE = 18;

interface KeyedLevel {
  readonly key: bigint;
  readonly level: LevelState;
}

/**
 * An aggregated book kept from level changes: each side a price-sorted array, best first. Books hold a few
 * hundred to a few thousand levels, so a binary search and a splice per change cost less than a tree, and
 * a snapshot is one copy.
 */
export class BookLevels {
  private readonly bids: KeyedLevel[] = [];
  private readonly asks: KeyedLevel[] = [];

  constructor(levels: { readonly bids: readonly LevelState[]; readonly asks: readonly LevelState[] }) {
    this.apply(levels.bids);
    this.apply(levels.asks);
  }

  /** Applies changes in order: each replaces its level; quantity "0" (no order) removes it. */
  apply(changes: readonly LevelState[]): void {
    for (const change of changes) this.change(change);
  }

  /** Every level of each side, best first. */
  levels(): { bids: LevelState[]; asks: LevelState[] } {
    return { bids: this.bids.map(({ level }) => level), asks: this.asks.map(({ level }) => level) };
  }

  bestBid(): string | undefined {
    return this.bids[0]?.level.price;
  }

  bestAsk(): string | undefined {
    return this.asks[0]?.level.price;
  }

  /** Levels of both sides. */
  get size(): number {
    return this.bids.length + this.asks.length;
  }

  private change(change: LevelState): void {
    const side = change.side === "buy" ? this.bids : this.asks;
    // Best first: descending prices for bids, ascending for asks, so both sort by ascending key.
    const key = sortKey(change.side, change.price);
    const at = search(side, key);
    const found = side[at]?.key === key;
    const removed = change.orderCount === 0 || parseDecimal(change.quantity, KEY_SCALE) === 0n;
    if (removed) {
      if (found) side.splice(at, 1);
    } else if (found) {
      side[at] = { key, level: change };
    } else {
      side.splice(at, 0, { key, level: change });
    }
  }
}

function sortKey(side: BookSide, price: string): bigint {
  const units = parseDecimal(price, KEY_SCALE);
  return side === "buy" ? -units : units;
}

/** Index of the first level whose key is not below `key`. */
function search(levels: readonly KeyedLevel[], key: bigint): number {
  let low = 0;
  let high = levels.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((levels[middle] as KeyedLevel).key < key) low = middle + 1;
    else high = middle;
  }
  return low;
}
