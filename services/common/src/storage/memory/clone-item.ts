import type { Item, Value } from "../model.js";

/*
 * Copies of stored items, so that a caller changing what it read cannot change the table. Stored values
 * are only what normalizeItem leaves (strings, numbers, bigints, booleans, null, Uint8Array, lists and
 * plain maps), so a direct walk copies them several times faster than structuredClone.
 */

function cloneValue(value: Value): Value {
  if (value === null || typeof value !== "object") return value;
  if (value instanceof Uint8Array) return new Uint8Array(value);
  if (Array.isArray(value)) return value.map(cloneValue);
  const copy: Record<string, Value> = {};
  for (const [name, element] of Object.entries(value)) copy[name] = cloneValue(element);
  return copy;
}

export function cloneItem(item: Item): Item {
  const copy: Item = { PK: item.PK, SK: item.SK };
  for (const [name, value] of Object.entries(item)) {
    if (value !== undefined) copy[name] = cloneValue(value);
  }
  return copy;
}
