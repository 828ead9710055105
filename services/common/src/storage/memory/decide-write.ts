import { StoreValidationError } from "../errors.js";
import type { Item, Key } from "../model.js";
import type { CheckedItem } from "../requests.js";
import { applyUpdate } from "./apply-update.js";
import { evaluateCondition } from "./evaluate-condition.js";
import { itemSizeError, tableKeySizeError } from "./item-limits.js";
import { hasMistypedIndexKey } from "./table.js";

/**
 * What one write does to the table: refused by its condition, invalid (in a transaction, its reason is
 * `ValidationError`), a new state for its item (undefined deletes it), or nothing.
 */
export type Decision =
  | { readonly kind: "refuse" }
  | { readonly kind: "invalid"; readonly error: StoreValidationError }
  | { readonly kind: "write"; readonly key: Key; readonly item: Item | undefined }
  | { readonly kind: "none" };

const conditionFailed: Decision = { kind: "refuse" };
const invalid = (error: StoreValidationError): Decision => ({ kind: "invalid", error });
const mistypedIndexKey = (): Decision =>
  invalid(new StoreValidationError("an index key attribute must be a string"));

function conditionHolds(write: CheckedItem, existing: Item | undefined): boolean {
  return write.condition === undefined || evaluateCondition(write.condition, existing);
}

/**
 * Decides one write against the item it targets, in DynamoDB's order of checks: the key's size first,
 * a put's index key types before its condition, an update's condition before computing the new item
 * (whose failures, such as adding to a string, throw for the whole request) and then its size.
 */
export function decideWrite(write: CheckedItem, existing: Item | undefined): Decision {
  const keyError = tableKeySizeError(write.kind === "put" ? write.item : write.key);
  if (keyError) return invalid(keyError);
  switch (write.kind) {
    case "put":
      if (hasMistypedIndexKey(write.item)) return mistypedIndexKey();
      if (!conditionHolds(write, existing)) return conditionFailed;
      return { kind: "write", key: write.item, item: write.item };
    case "update": {
      if (!conditionHolds(write, existing)) return conditionFailed;
      const next = applyUpdate(existing, write.key, write.update);
      const sizeError = itemSizeError(next);
      if (sizeError) return invalid(sizeError);
      if (hasMistypedIndexKey(next)) return mistypedIndexKey();
      return { kind: "write", key: write.key, item: next };
    }
    case "delete":
      if (!conditionHolds(write, existing)) return conditionFailed;
      return { kind: "write", key: write.key, item: undefined };
    case "conditionCheck":
      return conditionHolds(write, existing) ? { kind: "none" } : conditionFailed;
  }
}
