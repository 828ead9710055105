import type { Condition } from "./condition.js";
import type { IndexName, Item, Key } from "./model.js";
import type { Update } from "./update.js";

/** A condition on the sort key of a query (the table's `SK`, or the index's sort key). */
export type SortCondition =
  | { readonly eq: string }
  | { readonly lt: string }
  | { readonly lte: string }
  | { readonly gt: string }
  | { readonly gte: string }
  | { readonly between: readonly [low: string, high: string] }
  | { readonly beginsWith: string };

export interface Query {
  /** Queries a global secondary index instead of the table (index reads are eventually consistent). */
  readonly index?: IndexName;
  /** The partition key value: `PK`, or the index's partition key. */
  readonly partition: string;
  readonly sort?: SortCondition;
  /** At most this many items per page. A page may still hold fewer and carry a cursor. */
  readonly limit?: number;
  /** The `cursor` of the previous page of the same query. */
  readonly cursor?: string;
  /** Ascending sort key order (the default) or descending. */
  readonly forward?: boolean;
}

export interface Page {
  readonly items: Item[];
  /** Present when there may be more items: pass it as `Query.cursor` to read on. */
  readonly cursor?: string;
}

export interface ConditionOptions {
  readonly condition?: Condition;
}

export interface GetOptions {
  /** Strongly consistent read; the default is true. */
  readonly consistent?: boolean;
}

/** One write of a transaction; each may carry its own condition. */
export type TransactItem =
  | { readonly kind: "put"; readonly item: Item; readonly condition?: Condition }
  | { readonly kind: "update"; readonly key: Key; readonly update: Update; readonly condition?: Condition }
  | { readonly kind: "delete"; readonly key: Key; readonly condition?: Condition }
  | { readonly kind: "conditionCheck"; readonly key: Key; readonly condition: Condition };

/** The most items one transaction may hold. */
export const MAX_TRANSACT_ITEMS = 100;

/**
 * The storage port: one DynamoDB-style table with generic keys `PK`/`SK` and the indexes GSI1 and GSI2.
 * Items returned are the caller's own copies. Failed conditions throw `ConditionFailedError`, canceled
 * transactions `TransactionCanceledError`, and requests DynamoDB would reject `StoreValidationError`.
 */
export interface Store {
  get(key: Key, options?: GetOptions): Promise<Item | undefined>;
  /**
   * Reads many items at once (on DynamoDB, BatchGetItem in requests of 100 keys). Returns one entry per
   * key, in the order of `keys`: the item, or `undefined` when there is none. A key may appear more than
   * once. Consistent like `get`, each item on its own: unlike a transaction, the items are not read at
   * one instant, so callers that decide on several of them write under conditions on what they read.
   */
  getMany(keys: readonly Key[], options?: GetOptions): Promise<(Item | undefined)[]>;
  /** Replaces the whole item. */
  put(item: Item, options?: ConditionOptions): Promise<void>;
  /** Updates (or creates) the item and returns it as it is afterwards. */
  update(key: Key, update: Update, options?: ConditionOptions): Promise<Item>;
  /** Deletes the item; deleting a missing item is not an error unless a condition says so. */
  delete(key: Key, options?: ConditionOptions): Promise<void>;
  query(query: Query): Promise<Page>;
  /** Writes up to 100 items, all or none; no two may touch the same item. */
  transactWrite(items: readonly TransactItem[]): Promise<void>;
  /** Releases connections; the store is not used afterwards. */
  close(): void;
}
