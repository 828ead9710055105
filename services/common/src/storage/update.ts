import type { Value } from "./model.js";

/**
 * Changes to one item, like a DynamoDB update expression. An attribute may appear in one clause only,
 * and the key attributes `PK`/`SK` cannot be changed. Updating a missing item creates it.
 */
export interface Update {
  /** Sets attributes to values. */
  readonly set?: Readonly<Record<string, Value>>;
  /** Sets attributes only where they do not exist yet. */
  readonly setIfNotExists?: Readonly<Record<string, Value>>;
  /** Atomic counters: adds the delta, a missing attribute counting as 0. Exact decimal arithmetic. */
  readonly add?: Readonly<Record<string, number | bigint>>;
  /** Removes attributes (removing a missing one is not an error). */
  readonly remove?: readonly string[];
}
