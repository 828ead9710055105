import { OCCUPANCY_SLOTS, Occupancy } from "./occupancy.js";
import type { PriceLevel } from "./price-level.js";
import type { TreeNode } from "./red-black-tree.js";

/** Ticks per page. */
export const PAGE_TICKS = OCCUPANCY_SLOTS;

/** The page holding a price: pages cover [index * PAGE_TICKS, (index + 1) * PAGE_TICKS). */
export function pageIndexOf(price: number): number {
  // Dividing by a power of two is exact in floating point, so this is exact for every safe integer.
  return Math.floor(price / PAGE_TICKS);
}

/**
 * A run of 4,096 consecutive ticks on one side of the book: a direct-addressed slot per tick for its
 * level, an occupancy bitmap over the slots, and the node fields that place the page in its side's
 * red-black tree of pages and in the side's ascending list of pages. Only non-empty pages are kept.
 */
export class PricePage implements TreeNode<PricePage> {
  /** The page index; also the tree key. */
  key = 0;
  /** The price of slot 0. */
  base = 0;
  count = 0;
  readonly levels: (PriceLevel | null)[] = new Array<PriceLevel | null>(OCCUPANCY_SLOTS).fill(null);
  readonly occupancy = new Occupancy();

  left: PricePage | null = null;
  right: PricePage | null = null;
  parent: PricePage | null = null;
  red = false;

  /** Neighbouring non-empty pages, by price. */
  lower: PricePage | null = null;
  higher: PricePage | null = null;

  reset(index: number): void {
    this.key = index;
    this.base = index * PAGE_TICKS;
    this.lower = null;
    this.higher = null;
  }

  /**
   * Forgets the neighbouring pages once this one is out of the list; the tree clears its own fields on
   * removal. A spare page still linked to its old neighbours would keep them, and their levels' pages in
   * turn, alive.
   */
  clearLinks(): void {
    this.lower = null;
    this.higher = null;
  }

  level(slot: number): PriceLevel | null {
    return this.levels[slot] ?? null;
  }

  put(slot: number, level: PriceLevel): void {
    this.levels[slot] = level;
    this.occupancy.set(slot);
    this.count++;
  }

  take(slot: number): void {
    this.levels[slot] = null;
    this.occupancy.clear(slot);
    this.count--;
  }

  /** The highest-priced level below `slot` on this page (any, when `slot` is PAGE_TICKS), or null. */
  levelBelow(slot: number): PriceLevel | null {
    const below = this.occupancy.below(slot);
    return below < 0 ? null : (this.levels[below] ?? null);
  }
}
