import type { Side } from "./commands.js";
import type { Order } from "./order.js";
import { PriceLevel } from "./price-level.js";
import { RedBlackTree } from "./red-black-tree.js";

/** Enough spare levels to absorb the create/remove churn of price moves without keeping a huge book's worth. */
const SPARE_LEVELS = 1024;

export interface DepthLevel {
  readonly price: number;
  readonly quantity: number;
  readonly orders: number;
}

/**
 * One side of the book.
 *
 * Price levels live in an intrusive red-black tree keyed by tick (negated for bids, so that for both sides
 * the smallest key is the best price), and are also threaded best to worst in a doubly linked list.
 * Why this layout:
 * - Prices are arbitrary safe integers (a BTC market in cents spans 10^9 ticks), which rules out one
 *   array of tick buckets; a tree stays O(log n) whatever the spread and has no resize pauses.
 * - Only creating or emptying a level touches the tree. Finding a level is one descent, and inserting a
 *   missing one reuses that descent (`closest`), whose last node is the new level's list neighbour.
 * - The list gives the best level in O(1), the next level in O(1) while a taker sweeps the book, and the
 *   top N levels in O(N) for depth queries, without ever walking the tree.
 * - Nodes are the level objects themselves and are recycled, so the hot path allocates nothing.
 * Orders are found by id through the engine's map, and removed from their level's queue in O(1).
 */
export class BookSide {
  /** Best level, or null for an empty side. */
  best: PriceLevel | null = null;
  /**
   * Open quantity of all the side's orders. The engine keeps it within Number.MAX_SAFE_INTEGER, which
   * keeps it and every level total exact, with one comparison instead of a level lookup.
   */
  volume = 0;
  private readonly tree = new RedBlackTree<PriceLevel>();
  private readonly sign: 1 | -1;
  private readonly spare: PriceLevel[] = [];

  constructor(readonly side: Side) {
    this.sign = side === "buy" ? -1 : 1;
  }

  /** The key of `price` on this side: a level is at least as good as `price` when its key is <= this. */
  keyOf(price: number): number {
    return price * this.sign;
  }

  /** Whether a taker from the other side limited at `price` would trade with this side's best level. */
  isReachedBy(price: number): boolean {
    return this.best !== null && this.best.key <= this.keyOf(price);
  }

  /** The level at `price`, created (empty) if missing. */
  levelAt(price: number): PriceLevel {
    const key = this.keyOf(price);
    const near = this.tree.closest(key);
    if (near !== null && near.key === key) return near;
    const level = this.spare.pop() ?? new PriceLevel(this);
    level.reset(price, key);
    this.tree.attach(level, near);
    if (near === null) {
      this.best = level;
    } else if (key < near.key) {
      level.better = near.better;
      level.worse = near;
      if (near.better === null) this.best = level;
      else near.better.worse = level;
      near.better = level;
    } else {
      level.better = near;
      level.worse = near.worse;
      if (near.worse !== null) near.worse.better = level;
      near.worse = level;
    }
    return level;
  }

  /** Takes an order off its level, dropping the level if that empties it. */
  remove(order: Order): void {
    const level = order.level as PriceLevel;
    level.remove(order);
    if (level.count === 0) this.drop(level);
  }

  /** Unlinks an empty level and keeps it for reuse. */
  drop(level: PriceLevel): void {
    if (level.better === null) this.best = level.worse;
    else level.better.worse = level.worse;
    if (level.worse !== null) level.worse.better = level.better;
    this.tree.remove(level);
    if (this.spare.length < SPARE_LEVELS) this.spare.push(level);
  }

  /** The best `limit` levels, aggregated, best first. O(limit). */
  depth(limit: number): DepthLevel[] {
    const levels: DepthLevel[] = [];
    for (let level = this.best; level !== null && levels.length < limit; level = level.worse) {
      levels.push({ price: level.price, quantity: level.total, orders: level.count });
    }
    return levels;
  }

  /** Tree structure problems, for audits. */
  validateTree(): string[] {
    return this.tree.validate();
  }

  /** Whether adding `quantity` would take the side's volume past Number.MAX_SAFE_INTEGER. */
  wouldOverflow(quantity: number): boolean {
    return this.volume > Number.MAX_SAFE_INTEGER - quantity;
  }

  /** In-order keys of the tree, for audits: they must match the level list. */
  treeKeys(): number[] {
    const keys: number[] = [];
    const walk = (node: PriceLevel | null): void => {
      if (node === null) return;
      walk(node.left);
      keys.push(node.key);
      walk(node.right);
    };
    walk(this.tree.root);
    return keys;
  }
}
