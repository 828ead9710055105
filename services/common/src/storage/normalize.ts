import type { Condition } from "./condition.js";
import { StoreValidationError } from "./errors.js";
import { INDEX_KEY_ATTRIBUTES, type Item, type Key, TABLE_KEY, type Value } from "./model.js";
import { normalizeNumber } from "./numbers.js";
import type { Update } from "./update.js";

/*
 * Both adapters pass every request through these functions first, so that what DynamoDB would reject is
 * refused the same way by both, and values take the form reads return (numbers by the read rule, binary
 * as Uint8Array, `undefined` attributes left out).
 */

const isPlainObject = (value: object): boolean => {
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
};

export function normalizeValue(value: Value, path: string): Value {
  if (value === null || typeof value === "string" || typeof value === "boolean") return value;
  if (typeof value === "number" || typeof value === "bigint") return normalizeNumber(value);
  if (value instanceof Uint8Array) return new Uint8Array(value);
  if (Array.isArray(value)) {
    return value
      .filter((element) => element !== undefined)
      .map((element, i) => normalizeValue(element, `${path}[${i}]`));
  }
  if (typeof value === "object" && isPlainObject(value)) {
    const entries = Object.entries(value).filter(([, element]) => element !== undefined);
    return Object.fromEntries(
      entries.map(([name, element]) => {
        checkName(name);
        return [name, normalizeValue(element, `${path}.${name}`)];
      }),
    );
  }
  throw new StoreValidationError(`unsupported value at ${path}`);
}

/** DynamoDB refuses empty attribute names, map keys included. */
function checkName(name: string): void {
  if (name === "") throw new StoreValidationError("attribute names cannot be empty");
}

function checkKeyValue(name: string, value: unknown): void {
  if (value === "") throw new StoreValidationError(`the key attribute ${name} cannot be an empty string`);
}

function checkKeyAttribute(name: string, value: unknown): void {
  if (typeof value !== "string") throw new StoreValidationError(`the key attribute ${name} must be a string`);
  checkKeyValue(name, value);
}

export function normalizeKey(key: Key): Key {
  checkKeyAttribute(TABLE_KEY.partition, key.PK);
  checkKeyAttribute(TABLE_KEY.sort, key.SK);
  return { PK: key.PK, SK: key.SK };
}

export function normalizeItem(item: Item): Item {
  const normalized: Item = normalizeKey(item);
  for (const name of Object.keys(item)) {
    const value = item[name];
    if (value === undefined) continue;
    checkName(name);
    if (INDEX_KEY_ATTRIBUTES.includes(name)) checkKeyValue(name, value);
    normalized[name] = normalizeValue(value, name);
  }
  return normalized;
}

export function normalizeCondition(condition: Condition): Condition {
  switch (condition.kind) {
    case "exists":
    case "notExists":
    case "beginsWith":
      checkName(condition.name);
      return condition;
    case "compare":
      checkName(condition.name);
      return { ...condition, value: normalizeValue(condition.value, condition.name) };
    case "and":
    case "or":
      if (condition.conditions.length === 0) throw new StoreValidationError(`an empty "${condition.kind}"`);
      return { kind: condition.kind, conditions: condition.conditions.map(normalizeCondition) };
    case "not":
      return { kind: "not", condition: normalizeCondition(condition.condition) };
  }
}

function normalizeValues(values: Readonly<Record<string, Value>> | undefined): Record<string, Value> {
  const entries = Object.entries(values ?? {}).map(([name, value]): [string, Value] => {
    if (INDEX_KEY_ATTRIBUTES.includes(name)) checkKeyValue(name, value);
    return [name, normalizeValue(value, name)];
  });
  return Object.fromEntries(entries);
}

/** Checks an update as DynamoDB checks an update expression, and normalizes its values. */
export function normalizeUpdate(update: Update): Required<Update> {
  for (const [name, delta] of Object.entries(update.add ?? {})) {
    if (typeof delta !== "number" && typeof delta !== "bigint") {
      throw new StoreValidationError(`the delta added to ${name} must be a number`);
    }
  }
  const normalized = {
    set: normalizeValues(update.set),
    setIfNotExists: normalizeValues(update.setIfNotExists),
    add: normalizeValues(update.add) as Record<string, number | bigint>,
    remove: [...(update.remove ?? [])],
  };
  const names = [
    ...Object.keys(normalized.set),
    ...Object.keys(normalized.setIfNotExists),
    ...Object.keys(normalized.add),
    ...normalized.remove,
  ];
  if (names.length === 0) throw new StoreValidationError("an update must change something");
  for (const [i, name] of names.entries()) {
    checkName(name);
    if (name === TABLE_KEY.partition || name === TABLE_KEY.sort) {
      throw new StoreValidationError(`cannot update ${name}: it is part of the key`);
    }
    if (names.indexOf(name) !== i) throw new StoreValidationError(`${name} appears twice in one update`);
  }
  return normalized;
}
