/**
 * An attribute value. Numbers come back from both adapters by one rule: an integer outside
 * `Number.MAX_SAFE_INTEGER` is a `bigint`, every other number is a `number`. Money is stored as bigint.
 */
export type Value =
  | string
  | number
  | bigint
  | boolean
  | null
  | Uint8Array
  | Value[]
  | { [name: string]: Value };

/** The primary key of the single table: generic string keys, entity kinds told apart by prefixes. */
export type Key = {
  PK: string;
  SK: string;
};

/** A stored item. Attributes set to `undefined` are left out when written. */
export interface Item {
  PK: string;
  SK: string;
  [name: string]: Value | undefined;
}

/** The table's global secondary indexes; both project all attributes. */
export type IndexName = "GSI1" | "GSI2";

interface KeyAttributes {
  readonly partition: string;
  readonly sort: string;
}

export const TABLE_KEY: KeyAttributes = { partition: "PK", sort: "SK" };

export const INDEX_KEYS: Readonly<Record<IndexName, KeyAttributes>> = {
  GSI1: { partition: "GSI1PK", sort: "GSI1SK" },
  GSI2: { partition: "GSI2PK", sort: "GSI2SK" },
};

export const INDEX_NAMES = Object.keys(INDEX_KEYS) as IndexName[];

/** The attributes that make up the key of a query's results (what a cursor holds). */
export function keyAttributesOf(index: IndexName | undefined): readonly string[] {
  if (index === undefined) return [TABLE_KEY.partition, TABLE_KEY.sort];
  const { partition, sort } = INDEX_KEYS[index];
  return [partition, sort, TABLE_KEY.partition, TABLE_KEY.sort];
}

/** The key attributes of an index, or of the table itself when no index is named. */
export function keyOf(index: IndexName | undefined): KeyAttributes {
  return index === undefined ? TABLE_KEY : INDEX_KEYS[index];
}

/** Every attribute that is part of an index key (the table key attributes are checked apart). */
export const INDEX_KEY_ATTRIBUTES: readonly string[] = INDEX_NAMES.flatMap((name) => [
  INDEX_KEYS[name].partition,
  INDEX_KEYS[name].sort,
]);
