import {
  INDEX_KEY_ATTRIBUTES,
  INDEX_NAMES,
  type IndexName,
  type Item,
  type Key,
  keyOf,
  type Value,
} from "../model.js";
import { type Position, SortedPartition } from "./sorted-partition.js";

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

/**
 * The in-memory table: partitions of sorted items by `PK`, and for each index partitions by its
 * partition key, maintained on every write, plus each item by its key for reads of one item without a
 * search. Stored items are never handed out; callers copy them.
 */
export class Table {
  private readonly partitions = new Map<string, SortedPartition>();
  private readonly items = new Map<string, Map<string, Item>>();
  private readonly indexes = new Map<IndexName, Map<string, SortedPartition>>(
    INDEX_NAMES.map((name) => [name, new Map()]),
  );

  get(key: Key): Item | undefined {
    return this.items.get(key.PK)?.get(key.SK);
  }

  partition(index: IndexName | undefined, value: string): SortedPartition | undefined {
    return index === undefined ? this.partitions.get(value) : this.indexes.get(index)?.get(value);
  }

  /** Stores the item under the key, or deletes what is there when `item` is undefined. */
  write(key: Key, item: Item | undefined): void {
    const previous = this.get(key);
    if (item) {
      insert(this.partitions, key.PK, positionOf(undefined, item), item);
      let partition = this.items.get(key.PK);
      if (!partition) {
        partition = new Map();
        this.items.set(key.PK, partition);
      }
      partition.set(key.SK, item);
    } else {
      remove(this.partitions, key.PK, positionOf(undefined, key));
      const partition = this.items.get(key.PK);
      partition?.delete(key.SK);
      if (partition?.size === 0) this.items.delete(key.PK);
    }
    for (const [index, partitions] of this.indexes) {
      const before = previous && indexPartitionOf(index, previous);
      const after = item && indexPartitionOf(index, item);
      const sort = keyOf(index).sort;
      if (item && after !== undefined && after === before && item[sort] === previous?.[sort]) {
        // Same place in the index (most updates): replaced where it is.
        insert(partitions, after, positionOf(index, item), item);
        continue;
      }
      if (previous && before !== undefined) remove(partitions, before, positionOf(index, previous));
      if (item && after !== undefined) insert(partitions, after, positionOf(index, item), item);
    }
  }
}

function insert(
  partitions: Map<string, SortedPartition>,
  value: string,
  position: Position,
  item: Item,
): void {
  let partition = partitions.get(value);
  if (!partition) {
    partition = new SortedPartition();
    partitions.set(value, partition);
  }
  partition.set(position, item);
}

function remove(partitions: Map<string, SortedPartition>, value: string, position: Position): void {
  const partition = partitions.get(value);
  partition?.delete(position);
  if (partition?.size === 0) partitions.delete(value);
}
