import { compareStrings } from "../compare.js";
import { decodeCursor, encodeCursor } from "../cursor.js";
import { InvalidCursorError } from "../errors.js";
import { type Item, keyAttributesOf, keyOf } from "../model.js";
import type { Query, SortCondition } from "../store.js";
import { cloneItem } from "./clone-item.js";
import { comparePositions, type Entry, type SortedPartition } from "./sorted-partition.js";
import { positionOf, type Table } from "./table.js";

/** The index range [start, end) of the entries whose sort key meets the condition. */
function sortRange(partition: SortedPartition, sort: SortCondition | undefined): [number, number] {
  const sortKey = (entry: Entry) => entry.position[0] ?? "";
  const firstAtLeast = (value: string) =>
    partition.partitionPoint((e) => compareStrings(sortKey(e), value) < 0);
  const firstAbove = (value: string) =>
    partition.partitionPoint((e) => compareStrings(sortKey(e), value) <= 0);
  if (sort === undefined) return [0, partition.size];
  if ("eq" in sort) return [firstAtLeast(sort.eq), firstAbove(sort.eq)];
  if ("lt" in sort) return [0, firstAtLeast(sort.lt)];
  if ("lte" in sort) return [0, firstAbove(sort.lte)];
  if ("gt" in sort) return [firstAbove(sort.gt), partition.size];
  if ("gte" in sort) return [firstAtLeast(sort.gte), partition.size];
  if ("between" in sort) return [firstAtLeast(sort.between[0]), firstAbove(sort.between[1])];
  const prefix = sort.beginsWith;
  // Keys starting with the prefix follow the prefix itself and come before every larger key.
  const end = partition.partitionPoint(
    (e) => compareStrings(sortKey(e), prefix) < 0 || sortKey(e).startsWith(prefix),
  );
  return [firstAtLeast(prefix), end];
}

/** True when a sort key value meets the condition (every value does when there is none). */
function sortKeyMatches(value: string, sort: SortCondition | undefined): boolean {
  if (sort === undefined) return true;
  if ("eq" in sort) return compareStrings(value, sort.eq) === 0;
  if ("lt" in sort) return compareStrings(value, sort.lt) < 0;
  if ("lte" in sort) return compareStrings(value, sort.lte) <= 0;
  if ("gt" in sort) return compareStrings(value, sort.gt) > 0;
  if ("gte" in sort) return compareStrings(value, sort.gte) >= 0;
  if ("between" in sort) {
    return compareStrings(value, sort.between[0]) >= 0 && compareStrings(value, sort.between[1]) <= 0;
  }
  return value.startsWith(sort.beginsWith);
}

function lastKeyOf(query: Query, item: Item): Record<string, string> {
  return Object.fromEntries(keyAttributesOf(query.index).map((name) => [name, String(item[name])]));
}

/**
 * Runs a (checked) query with binary search on one partition. Like DynamoDB, a page that reaches the
 * limit carries a cursor even when nothing follows it.
 */
export function runQuery(table: Table, query: Query): { items: Item[]; cursor?: string } {
  const partition = table.partition(query.index, query.partition);
  let [start, end] = partition ? sortRange(partition, query.sort) : [0, 0];
  const forward = query.forward ?? true;
  if (query.cursor !== undefined) {
    const after = decodeCursor(query.cursor, keyAttributesOf(query.index));
    const { partition: partitionKey, sort: sortKey } = keyOf(query.index);
    // DynamoDB refuses a starting key outside the key condition rather than answering an empty page.
    if (after[partitionKey] !== query.partition || !sortKeyMatches(after[sortKey] ?? "", query.sort)) {
      throw new InvalidCursorError("the cursor is outside the query's key range");
    }
    const position = positionOf(query.index, after);
    if (partition && forward)
      start = Math.max(
        start,
        partition.partitionPoint((e) => comparePositions(e.position, position) <= 0),
      );
    if (partition && !forward)
      end = Math.min(
        end,
        partition.partitionPoint((e) => comparePositions(e.position, position) < 0),
      );
  }
  const count = Math.max(0, Math.min(end - start, query.limit ?? Number.POSITIVE_INFINITY));
  const items: Item[] = [];
  for (let i = 0; i < count; i++) {
    const entry = partition?.at(forward ? start + i : end - 1 - i);
    if (entry) items.push(cloneItem(entry.item));
  }
  const last = items.at(-1);
  const full = query.limit !== undefined && items.length === query.limit;
  return full && last ? { items, cursor: encodeCursor(lastKeyOf(query, last)) } : { items };
}
