import {
  INDEX_KEY_ATTRIBUTES,
  INDEX_NAMES,
  type IndexName,
  type Item,
  type Key,
  keyOf,
  type Value,
} from "../model.js";
import { type Entry, type Position, SortedPartition } from "./sorted-partition.js";

type Attributes = Readonly<Record<string, Value | undefined>>;

/** The position of an item (or of a cursor's key) in a table or index partition. */
export function positionOf(index: IndexName | undefined, attributes: Attributes): Position {
  const sort = String(attributes[keyOf(index).sort]);
  return index === undefined ? [sort] : [sort, String(attributes.PK), String(attributes.SK)];
}

/** True when an index key attribute holds something other than a string, which DynamoDB refuses. */
export function hasMistypedIndexKey(item: Item): boolean {
  return INDEX_KEY_ATTRIBUTES.some((name) => item[name] !== undefined && typeof item[name] !== "string");
}

/** An index holds only items that have both of its key attributes (a sparse index). */
function indexPartitionOf(index: IndexName, item: Item): string | undefined {
  const { partition, sort } = keyOf(index);
  const value = item[partition];
  return typeof value === "string" && typeof item[sort] === "string" ? value : undefined;
}

/** A stored item and its entries in its table partition and in each index (in `INDEX_NAMES` order). */
interface Stored {
  item: Item;
  readonly row: Entry;
  readonly indexed: Array<Entry | undefined>;
}

/**
 * The in-memory table: partitions of sorted items by `PK`, and for each index partitions by its
 * partition key, maintained on every write, plus each item by its key, with its entries, for reads of one
 * item without a search and for writes that leave it in place without one. Stored items are never handed
 * out; callers copy them.
 */
export class Table {
  private readonly partitions = new Map<string, SortedPartition>();
  private readonly items = new Map<string, Map<string, Stored>>();
  private readonly indexes = INDEX_NAMES.map(() => new Map<string, SortedPartition>());

  get(key: Key): Item | undefined {
    return this.items.get(key.PK)?.get(key.SK)?.item;
  }

  /** Every stored item: the objects themselves, to be read (for a snapshot), never handed out. */
  *storedItems(): Generator<Item> {
    for (const partition of this.items.values()) {
      for (const stored of partition.values()) yield stored.item;
    }
  }

  partition(index: IndexName | undefined, value: string): SortedPartition | undefined {
    return index === undefined
      ? this.partitions.get(value)
      : this.indexes[INDEX_NAMES.indexOf(index)]?.get(value);
  }

  /** Stores the item under the key, or deletes what is there when `item` is undefined. */
  write(key: Key, item: Item | undefined): void {
    let partition = this.items.get(key.PK);
    const stored = partition?.get(key.SK);
    if (!item) {
      if (stored) this.erase(key, stored);
      return;
    }
    const previous = stored?.item;
    let current = stored;
    if (current) {
      // Same key, same place in its table partition.
      current.item = item;
      current.row.item = item;
    } else {
      current = {
        item,
        row: insert(this.partitions, key.PK, positionOf(undefined, item), item),
        indexed: [],
      };
      if (!partition) {
        partition = new Map();
        this.items.set(key.PK, partition);
      }
      partition.set(key.SK, current);
    }
    for (let i = 0; i < INDEX_NAMES.length; i++) {
      const index = INDEX_NAMES[i] as IndexName;
      const partitions = this.indexes[i] as Map<string, SortedPartition>;
      const entry = current.indexed[i];
      const before = previous && indexPartitionOf(index, previous);
      const after = indexPartitionOf(index, item);
      const sort = keyOf(index).sort;
      if (entry && after !== undefined && after === before && item[sort] === previous?.[sort]) {
        // Same place in the index (most updates): replaced where it is.
        entry.item = item;
        continue;
      }
      if (entry && before !== undefined) remove(partitions, before, entry.position);
      current.indexed[i] =
        after === undefined ? undefined : insert(partitions, after, positionOf(index, item), item);
    }
  }

  private erase(key: Key, stored: Stored): void {
    remove(this.partitions, key.PK, stored.row.position);
    const partition = this.items.get(key.PK);
    partition?.delete(key.SK);
    if (partition?.size === 0) this.items.delete(key.PK);
    stored.indexed.forEach((entry, i) => {
      const before = indexPartitionOf(INDEX_NAMES[i] as IndexName, stored.item);
      if (entry && before !== undefined)
        remove(this.indexes[i] as Map<string, SortedPartition>, before, entry.position);
    });
  }
}

function insert(
  partitions: Map<string, SortedPartition>,
  value: string,
  position: Position,
  item: Item,
): Entry {
  let partition = partitions.get(value);
  if (!partition) {
    partition = new SortedPartition();
    partitions.set(value, partition);
  }
  return partition.set(position, item);
}

function remove(partitions: Map<string, SortedPartition>, value: string, position: Position): void {
  const partition = partitions.get(value);
  partition?.delete(position);
  if (partition?.size === 0) partitions.delete(value);
}
