import { compareStrings } from "../compare.js";
import type { Item } from "../model.js";

/**
 * Where an item sits in a partition: its sort key, followed in an index by the table key, so that
 * items sharing an index sort key still have one stable order.
 */
export type Position = readonly string[];

export function comparePositions(a: Position, b: Position): number {
  const length = Math.max(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const order = compareStrings(a[i] ?? "", b[i] ?? "");
    if (order !== 0) return order;
  }
  return 0;
}

export interface Entry {
  readonly position: Position;
  readonly item: Item;
}

/** One partition's items, kept sorted by position in an array; binary search finds keys and ranges. */
export class SortedPartition {
  private readonly entries: Entry[] = [];

  get size(): number {
    return this.entries.length;
  }

  at(index: number): Entry | undefined {
    return this.entries[index];
  }

  /** The first index whose entry fails `before`, which must hold for a (possibly empty) prefix. */
  partitionPoint(before: (entry: Entry) => boolean): number {
    let low = 0;
    let high = this.entries.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      const entry = this.entries[middle];
      if (entry && before(entry)) low = middle + 1;
      else high = middle;
    }
    return low;
  }

  set(position: Position, item: Item): void {
    const last = this.entries.at(-1);
    if (last === undefined || comparePositions(last.position, position) < 0) {
      // After every other item: the common case for time-ordered keys (ULIDs, sequences).
      this.entries.push({ position, item });
      return;
    }
    const index = this.indexOf(position);
    const entry = this.entries[index];
    const replace = entry !== undefined && comparePositions(entry.position, position) === 0;
    this.entries.splice(index, replace ? 1 : 0, { position, item });
  }

  delete(position: Position): void {
    const index = this.indexOf(position);
    const entry = this.entries[index];
    if (entry && comparePositions(entry.position, position) === 0) this.entries.splice(index, 1);
  }

  private indexOf(position: Position): number {
    return this.partitionPoint((entry) => comparePositions(entry.position, position) < 0);
  }
}
