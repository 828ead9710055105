import { StoreValidationError } from "../errors.js";
import type { Item, Key } from "../model.js";
import { addNumbers } from "../numbers.js";
import type { Update } from "../update.js";

/** The item after a (normalized) update; a missing item starts as its key alone. */
export function applyUpdate(existing: Item | undefined, key: Key, update: Required<Update>): Item {
  const next: Item = existing ? { ...existing } : { PK: key.PK, SK: key.SK };
  for (const [name, value] of Object.entries(update.set)) next[name] = value;
  for (const [name, value] of Object.entries(update.setIfNotExists)) {
    if (next[name] === undefined) next[name] = value;
  }
  for (const [name, delta] of Object.entries(update.add)) {
    const current = next[name] ?? 0;
    if (typeof current !== "number" && typeof current !== "bigint") {
      throw new StoreValidationError(`cannot add to ${name}: it is not a number`);
    }
    next[name] = addNumbers(current, delta);
  }
  for (const name of update.remove) delete next[name];
  return next;
}
