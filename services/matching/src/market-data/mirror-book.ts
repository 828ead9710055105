import { MAX_SCALE, parseDecimal } from "@bourse/common/money";
import type { BookSide, BookSnapshot, LevelState } from "./market-feed.js";

interface Level {
  readonly state: LevelState;
  /** The price in units of 10^-MAX_SCALE, to order levels whatever their decimals' spelling. */
  readonly units: bigint;
}

/** The aggregated book of a market another replica owns, rebuilt from its snapshot and deltas. */
export class MirrorBook {
  private readonly sides: Record<BookSide, Map<bigint, Level>> = { buy: new Map(), sell: new Map() };
  /** The sorted sides, made again only after a change. */
  private sorted: { bids: LevelState[]; asks: LevelState[] } | undefined;

  constructor(
    readonly market: string,
    private sequenceNow: bigint,
    private asOfNow: Date,
  ) {}

  static of(snapshot: BookSnapshot): MirrorBook {
    const book = new MirrorBook(snapshot.market, snapshot.sequence, snapshot.asOf);
    book.apply([...snapshot.bids, ...snapshot.asks]);
    return book;
  }

  get sequence(): bigint {
    return this.sequenceNow;
  }

  /** Applies the changes of the commands up to `sequence` (the caller checked they follow this book's). */
  advance(sequence: bigint, changes: readonly LevelState[], asOf: Date): void {
    this.apply(changes);
    this.sequenceNow = sequence;
    this.asOfNow = asOf;
  }

  snapshot(): BookSnapshot {
    this.sorted ??= {
      bids: sortedStates(this.sides.buy, (a, b) => (a.units > b.units ? -1 : 1)),
      asks: sortedStates(this.sides.sell, (a, b) => (a.units < b.units ? -1 : 1)),
    };
    return {
      market: this.market,
      sequence: this.sequenceNow,
      bids: this.sorted.bids,
      asks: this.sorted.asks,
      asOf: this.asOfNow,
    };
  }

  best(side: BookSide): string | undefined {
    const levels = this.snapshot();
    return (side === "buy" ? levels.bids : levels.asks)[0]?.price;
  }

  private apply(changes: readonly LevelState[]): void {
    if (changes.length === 0) return;
    for (const change of changes) {
      const units = parseDecimal(change.price, MAX_SCALE);
      const side = this.sides[change.side];
      if (change.orderCount === 0 || /^0(\.0+)?$/.test(change.quantity)) side.delete(units);
      else side.set(units, { state: change, units });
    }
    this.sorted = undefined;
  }
}

function sortedStates(levels: Map<bigint, Level>, order: (a: Level, b: Level) => number): LevelState[] {
  return [...levels.values()].sort(order).map((level) => level.state);
}
