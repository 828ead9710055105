import type { Side } from "./commands.js";
import type { Order } from "./order.js";
import { PriceLevel } from "./price-level.js";
import { PAGE_TICKS, PricePage, pageIndexOf } from "./price-page.js";
import { RedBlackTree } from "./red-black-tree.js";

/**
 * Spare levels: enough to absorb the create/remove churn of price moves in a busy book (the engine bench's
 * book spans about 720 levels), without keeping a huge book's worth after it drains. A level is about
 * 100 bytes, so a full pool keeps about 100 KB per side.
 */
const SPARE_LEVELS = 1024;
/**
 * Spare pages, for a book that oscillates across a page boundary. A page is about 23 KB (its 4,096 slots),
 * so a full pool keeps about 90 KB per side.
 */
const SPARE_PAGES = 4;

export interface DepthLevel {
  readonly price: number;
  readonly quantity: number;
  readonly orders: number;
}

/**
 * One side of the book.
 *
 * Levels are direct-addressed tick buckets: pages of 4,096 consecutive ticks, each an array of level slots
 * with an occupancy bitmap, and the non-empty pages in a red-black tree keyed by page index. Levels are
 * also threaded best to worst in a doubly linked list. Why:
 * - Finding a price's level is an array index once its page is known, and the page is nearly always the
 *   last one used: books crowd around the touch. The tree is only descended on a page miss, and only
 *   rebalanced when a whole page fills or empties, which is rare.
 * - A new level's list neighbour is the nearest occupied slot below it, found in a few word operations on
 *   the bitmap, or the top of the next page down.
 * - Prices are arbitrary safe integers (a BTC market in cents spans 10^9 ticks), which rules out one flat
 *   array; pages keep memory proportional to the price range actually in use.
 * - The list gives the best level in O(1), the next one in O(1) while a taker sweeps the book, and the
 *   top N levels in O(N) for depth queries.
 * - Levels and pages are recycled, so the hot path allocates nothing.
 * Per-level red-black trees were measured first: descending one on every price move cost a third of the
 * engine's time, from unpredictable branches.
 */
export class BookSide {
  /** Best level, or null for an empty side. */
  best: PriceLevel | null = null;
  /**
   * Open quantity of all the side's orders. The engine keeps it within Number.MAX_SAFE_INTEGER, which
   * keeps it and every level total exact, with one comparison instead of a level lookup.
   */
  volume = 0;
  private worst: PriceLevel | null = null;
  private readonly pages = new RedBlackTree<PricePage>();
  private lastPage: PricePage | null = null;
  private readonly sign: 1 | -1;
  private readonly spare: PriceLevel[] = [];
  private readonly sparePages: PricePage[] = [];

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

  /** Whether adding `quantity` would take the side's volume past Number.MAX_SAFE_INTEGER. */
  wouldOverflow(quantity: number): boolean {
    return this.volume > Number.MAX_SAFE_INTEGER - quantity;
  }

  /** The level at `price`, created (empty) if missing. */
  levelAt(price: number): PriceLevel {
    const page = this.pageAt(price);
    const slot = price - page.base;
    const existing = page.level(slot);
    if (existing !== null) return existing;
    const level = this.spare.pop() ?? new PriceLevel(this);
    level.reset(price, this.keyOf(price));
    this.link(level, page.levelBelow(slot) ?? page.lower?.levelBelow(PAGE_TICKS) ?? null);
    page.put(slot, level);
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
    if (level.worse === null) this.worst = level.better;
    else level.worse.better = level.better;
    level.clearLinks();
    const page = this.pageAt(level.price);
    page.take(level.price - page.base);
    if (page.count === 0) this.dropPage(page);
    if (this.spare.length < SPARE_LEVELS) this.spare.push(level);
  }

  /** Visits every order, best level first, each level in time priority. */
  forEachOrder(visit: (order: Order) => void): void {
    for (let level = this.best; level !== null; level = level.worse) {
      for (let order = level.head; order !== null; order = order.next) visit(order);
    }
  }

  /** The best `limit` levels, aggregated, best first. O(limit). */
  depth(limit: number): DepthLevel[] {
    const levels: DepthLevel[] = [];
    for (let level = this.best; level !== null && levels.length < limit; level = level.worse) {
      levels.push({ price: level.price, quantity: level.total, orders: level.count });
    }
    return levels;
  }

  /** Problems in the page structure, for audits: the tree, the page list, and every slot against the levels. */
  validatePages(): string[] {
    const problems = this.pages.validate().map((problem) => `page tree: ${problem}`);
    const levelsPerPage = new Map<PricePage, number>();
    let last: PriceLevel | null = null;
    for (let level = this.best; level !== null; level = level.worse) {
      const page = this.pages.closest(pageIndexOf(level.price));
      const slot = level.price - (page?.base ?? 0);
      if (page === null || page.level(slot) !== level || !page.occupancy.has(slot)) {
        problems.push(`level ${level.price} is not in its page slot`);
      } else {
        levelsPerPage.set(page, (levelsPerPage.get(page) ?? 0) + 1);
      }
      last = level;
    }
    if (last !== this.worst) problems.push("wrong worst level");
    let previous: PricePage | null = null;
    for (let page = this.lowestPage(); page !== null; page = page.higher) {
      if (page.lower !== previous) problems.push(`page ${page.key}: broken page links`);
      if (previous !== null && previous.key >= page.key)
        problems.push(`page ${page.key}: pages out of order`);
      let taken = 0;
      for (let slot = page.occupancy.below(PAGE_TICKS); slot >= 0; slot = page.occupancy.below(slot)) taken++;
      const listed = levelsPerPage.get(page) ?? 0;
      if (listed === 0 || page.count !== listed || taken !== listed) {
        problems.push(`page ${page.key}: count ${page.count}, ${taken} slots taken, ${listed} levels`);
      }
      levelsPerPage.delete(page);
      previous = page;
    }
    if (levelsPerPage.size > 0) problems.push("levels in pages missing from the page list");
    return problems;
  }

  /**
   * Problems in the spare pools, for audits: a spare level or page must hold no link to orders, levels or
   * pages, or it keeps parts of a drained book alive. (A level's link to this side, its owner, is kept.)
   */
  validateSpares(): string[] {
    const problems: string[] = [];
    for (const level of this.spare) {
      const at = `spare level (last at ${level.price})`;
      if (level.head !== null || level.tail !== null) problems.push(`${at} keeps its queue`);
      if (level.better !== null || level.worse !== null) problems.push(`${at} keeps its neighbours`);
    }
    for (const page of this.sparePages) {
      const at = `spare page ${page.key}`;
      if (page.lower !== null || page.higher !== null) problems.push(`${at} keeps its neighbours`);
      if (page.left !== null || page.right !== null || page.parent !== null) {
        problems.push(`${at} keeps its tree links`);
      }
      if (
        page.count !== 0 ||
        page.occupancy.below(PAGE_TICKS) >= 0 ||
        page.levels.some((level) => level !== null)
      ) {
        problems.push(`${at} keeps levels`);
      }
    }
    return problems;
  }

  private lowestPage(): PricePage | null {
    let page = this.pages.root;
    while (page?.left) page = page.left;
    return page;
  }

  /** Links a new level into the best-to-worst list next to `lower`, the nearest level below its price. */
  private link(level: PriceLevel, lower: PriceLevel | null): void {
    // Asks improve downwards, so `lower` is better; bids improve upwards, so `lower` is worse.
    const better = this.sign === 1 ? lower : lower === null ? this.worst : lower.better;
    const worse = better === null ? this.best : better.worse;
    level.better = better;
    level.worse = worse;
    if (better === null) this.best = level;
    else better.worse = level;
    if (worse === null) this.worst = level;
    else worse.better = level;
  }

  private pageAt(price: number): PricePage {
    const index = pageIndexOf(price);
    const last = this.lastPage;
    if (last !== null && last.key === index) return last;
    const near = this.pages.closest(index);
    let page: PricePage;
    if (near !== null && near.key === index) {
      page = near;
    } else {
      page = this.sparePages.pop() ?? new PricePage();
      page.reset(index);
      this.pages.attach(page, near);
      if (near === null) {
        // The only page.
      } else if (index < near.key) {
        page.higher = near;
        page.lower = near.lower;
        if (near.lower !== null) near.lower.higher = page;
        near.lower = page;
      } else {
        page.lower = near;
        page.higher = near.higher;
        if (near.higher !== null) near.higher.lower = page;
        near.higher = page;
      }
    }
    this.lastPage = page;
    return page;
  }

  private dropPage(page: PricePage): void {
    if (page.lower !== null) page.lower.higher = page.higher;
    if (page.higher !== null) page.higher.lower = page.lower;
    page.clearLinks();
    this.pages.remove(page);
    if (this.lastPage === page) this.lastPage = null;
    if (this.sparePages.length < SPARE_PAGES) this.sparePages.push(page);
  }
}
