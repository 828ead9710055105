export type { Comparable, ComparisonOperator, Condition } from "./condition.js";
export { cond } from "./condition.js";
export type { StoreConfig } from "./create-store.js";
export { createStore } from "./create-store.js";
export type { DynamoDbConnection } from "./dynamodb/client.js";
export { createDynamoDbClient } from "./dynamodb/client.js";
export type { DynamoDbStoreConfig } from "./dynamodb/dynamodb-store.js";
export { DynamoDbStore } from "./dynamodb/dynamodb-store.js";
export { ensureTable } from "./dynamodb/ensure-table.js";
export { ensureTimeToLive } from "./dynamodb/ensure-time-to-live.js";
export type { CancellationReason, StoreLimit } from "./errors.js";
export {
  ConditionFailedError,
  InvalidCursorError,
  StoreError,
  StoreLimitError,
  StoreValidationError,
  TransactionCanceledError,
} from "./errors.js";
export {
  MAX_ITEM_BYTES,
  MAX_NESTING_DEPTH,
  MAX_PARTITION_KEY_BYTES,
  MAX_SORT_KEY_BYTES,
  MAX_TRANSACTION_BYTES,
} from "./limits.js";
export { MemoryStore } from "./memory/memory-store.js";
export type { PersistentMemoryStoreOptions } from "./memory/persistent-memory-store.js";
export { openPersistentMemoryStore } from "./memory/persistent-memory-store.js";
export type { IndexName, Item, Key, Value } from "./model.js";
export { INDEX_KEYS, TABLE_KEY } from "./model.js";
export { toBigInt } from "./numbers.js";
export { queryAll, queryItems } from "./query-all.js";
export type { ConflictRetryPolicy } from "./retry-on-conflict.js";
export { isWriteConflict, retryOnConflict } from "./retry-on-conflict.js";
export type {
  ConditionOptions,
  GetOptions,
  Page,
  Query,
  SortCondition,
  Store,
  TransactItem,
} from "./store.js";
export { MAX_TRANSACT_ITEMS } from "./store.js";
export { TIME_TO_LIVE_ATTRIBUTE, timeToLiveOf } from "./time-to-live.js";
export type { Update } from "./update.js";
