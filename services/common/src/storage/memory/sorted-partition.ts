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

/** Code units from U+D800 on: where UTF-16 order and code point order (DynamoDB's) can part. */
const HIGH_UNITS = /[\uD800-\uFFFF]/;

const isPlain = (position: Position) => !position.some((part) => HIGH_UNITS.test(part));

/** `comparePositions` for positions below U+D800, where JavaScript's own string order is the same. */
function comparePlainPositions(a: Position, b: Position): number {
  const length = Math.max(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a[i] ?? "";
    const y = b[i] ?? "";
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

export interface Entry {
  readonly position: Position;
  /** Replaced in place by the table when a write leaves the item where it is. */
  item: Item;
}

/** One partition's items, kept sorted by position in an array; binary search finds keys and ranges. */
export class SortedPartition {
  private readonly entries: Entry[] = [];
  /** True while every position held is plain: then positions compare with the native string order. */
  private plain = true;

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

  /** Puts the item at its position, replacing what is there; returns its entry. */
  set(position: Position, item: Item): Entry {
    const added = { position, item };
    this.plain &&= isPlain(position);
    const compare = this.plain ? comparePlainPositions : comparePositions;
    const last = this.entries.at(-1);
    if (last === undefined || compare(last.position, position) < 0) {
      // After every other item: the common case for time-ordered keys (ULIDs, sequences).
      this.entries.push(added);
      return added;
    }
    const index = this.indexOf(position, compare);
    const entry = this.entries[index];
    const replace = entry !== undefined && compare(entry.position, position) === 0;
    this.entries.splice(index, replace ? 1 : 0, added);
    return added;
  }

  delete(position: Position): void {
    const compare = this.plain && isPlain(position) ? comparePlainPositions : comparePositions;
    const index = this.indexOf(position, compare);
    const entry = this.entries[index];
    if (entry && compare(entry.position, position) === 0) this.entries.splice(index, 1);
  }

  private indexOf(position: Position, compare: (a: Position, b: Position) => number): number {
    return this.partitionPoint((entry) => compare(entry.position, position) < 0);
  }
}
