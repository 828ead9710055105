import { compareStrings } from "./compare.js";
import type { Condition } from "./condition.js";
import { StoreValidationError } from "./errors.js";
import type { Item, Key } from "./model.js";
import { normalizeCondition, normalizeItem, normalizeKey, normalizeUpdate } from "./normalize.js";
import { MAX_TRANSACT_ITEMS, type Query, type SortCondition, type TransactItem } from "./store.js";
import type { Update } from "./update.js";

/** A transaction item whose key, values, update and condition have been checked and normalized. */
export type CheckedItem =
  | { readonly kind: "put"; readonly item: Item; readonly condition?: Condition }
  | {
      readonly kind: "update";
      readonly key: Key;
      readonly update: Required<Update>;
      readonly condition?: Condition;
    }
  | { readonly kind: "delete"; readonly key: Key; readonly condition?: Condition }
  | { readonly kind: "conditionCheck"; readonly key: Key; readonly condition: Condition };

/** The sort key value(s) a sort condition names. */
export function sortOperands(sort: SortCondition): readonly string[] {
  if ("between" in sort) return sort.between;
  return Object.values(sort);
}

/** Checks a query as DynamoDB checks its parameters and key condition. */
export function checkQuery(query: Query): void {
  if (query.partition === "") throw new StoreValidationError("the partition key cannot be an empty string");
  if (query.sort) {
    const operands = sortOperands(query.sort);
    if (operands.some((operand) => operand === "")) {
      throw new StoreValidationError("a sort key condition cannot use an empty string");
    }
    const [low = "", high = ""] = operands;
    if ("between" in query.sort && compareStrings(low, high) > 0) {
      throw new StoreValidationError("between needs its lower bound first");
    }
  }
  if (query.limit !== undefined && !(Number.isInteger(query.limit) && query.limit >= 1)) {
    throw new StoreValidationError("the limit must be a positive integer");
  }
}

/** The key a transaction item writes or checks. */
function transactKey(item: TransactItem): { PK: string; SK: string } {
  return normalizeKey(item.kind === "put" ? item.item : item.key);
}

/** Checks a transaction's shape: 1 to 100 items, no two on the same item. */
function checkTransactionShape(items: readonly TransactItem[]): void {
  if (items.length === 0) throw new StoreValidationError("a transaction needs at least one item");
  if (items.length > MAX_TRANSACT_ITEMS) {
    throw new StoreValidationError(`a transaction holds at most ${MAX_TRANSACT_ITEMS} items`);
  }
  const seen = new Map<string, Set<string>>();
  for (const item of items) {
    const { PK, SK } = transactKey(item);
    const sortKeys = seen.get(PK) ?? new Set<string>();
    if (sortKeys.has(SK))
      throw new StoreValidationError("a transaction cannot include two operations on one item");
    sortKeys.add(SK);
    seen.set(PK, sortKeys);
  }
}

/** Checks a single write or transaction item and gives its values the form reads return. */
export function checkItem(item: TransactItem): CheckedItem {
  const condition = item.condition && normalizeCondition(item.condition);
  switch (item.kind) {
    case "put":
      return { kind: "put", item: normalizeItem(item.item), condition };
    case "update":
      return { kind: "update", key: normalizeKey(item.key), update: normalizeUpdate(item.update), condition };
    case "delete":
      return { kind: "delete", key: normalizeKey(item.key), condition };
    case "conditionCheck":
      return {
        kind: "conditionCheck",
        key: normalizeKey(item.key),
        condition: normalizeCondition(item.condition),
      };
  }
}

/** Checks a whole transaction: its shape, then every item. */
export function checkTransaction(items: readonly TransactItem[]): CheckedItem[] {
  checkTransactionShape(items);
  return items.map(checkItem);
}
