import { StoreLimitError } from "../errors.js";
import {
  MAX_ITEM_BYTES,
  MAX_NESTING_DEPTH,
  MAX_PARTITION_KEY_BYTES,
  MAX_SORT_KEY_BYTES,
  MAX_TRANSACTION_BYTES,
} from "../limits.js";
import { INDEX_KEYS, INDEX_NAMES, type Item, type Key, type Value } from "../model.js";
import { numberByteSize } from "../numbers.js";
import type { CheckedItem } from "../requests.js";

/*
 * DynamoDB's size limits as the embedded engine enforces them, sized the way DynamoDB Local sizes
 * items, so that what it refuses is refused here and what it accepts is accepted.
 */

const utf8Bytes = (text: string): number => Buffer.byteLength(text, "utf8");

/** Lists and maps take 3 bytes, and each element 1 more besides its own size (and a map key's name). */
const CONTAINER_BYTES = 3;
const ELEMENT_BYTES = 1;

function valueByteSize(value: Value): number {
  if (typeof value === "string") return utf8Bytes(value);
  if (typeof value === "number" || typeof value === "bigint") return numberByteSize(value);
  if (typeof value === "boolean" || value === null) return 1;
  if (value instanceof Uint8Array) return value.byteLength;
  if (Array.isArray(value)) {
    return value.reduce<number>(
      (sum, element) => sum + ELEMENT_BYTES + valueByteSize(element),
      CONTAINER_BYTES,
    );
  }
  return Object.entries(value).reduce(
    (sum, [name, element]) => sum + ELEMENT_BYTES + utf8Bytes(name) + valueByteSize(element),
    CONTAINER_BYTES,
  );
}

/** The size DynamoDB gives an item: each attribute's name in UTF-8 plus its value. */
function itemByteSize(item: Item): number {
  let size = 0;
  for (const name of Object.keys(item)) {
    const value = item[name];
    if (value !== undefined) size += utf8Bytes(name) + valueByteSize(value);
  }
  return size;
}

/** How many lists and maps are nested in a value (0 for a scalar). */
function nestingDepth(value: Value): number {
  if (value === null || typeof value !== "object" || value instanceof Uint8Array) return 0;
  let deepest = 0;
  for (const element of Array.isArray(value) ? value : Object.values(value)) {
    deepest = Math.max(deepest, nestingDepth(element));
  }
  return 1 + deepest;
}

/** The item size error, if the item is over 400 KB. */
export function itemSizeError(item: Item): StoreLimitError | undefined {
  return sizeError(itemByteSize(item));
}

function sizeError(bytes: number): StoreLimitError | undefined {
  if (bytes <= MAX_ITEM_BYTES) return undefined;
  return new StoreLimitError("itemSize", `items are limited to ${MAX_ITEM_BYTES} bytes`);
}

const nestedTooDeeply = (value: Value | undefined): boolean =>
  typeof value === "object" && value !== null && nestingDepth(value) > MAX_NESTING_DEPTH;

const nestingError = () => new StoreLimitError("nesting", "attributes are nested beyond the supported limit");

/** Refuses values nested deeper than DynamoDB allows. */
function checkNesting(values: Readonly<Record<string, Value | undefined>>): void {
  for (const name of Object.keys(values)) {
    if (nestedTooDeeply(values[name])) throw nestingError();
  }
}

/** A put's item size, refusing on the way values nested deeper than DynamoDB allows (one walk, not two). */
function putItemBytes(item: Item): number {
  let size = 0;
  for (const name of Object.keys(item)) {
    const value = item[name];
    if (value === undefined) continue;
    if (nestedTooDeeply(value)) throw nestingError();
    size += utf8Bytes(name) + valueByteSize(value);
  }
  return size;
}

function isOver(value: unknown, limit: number): boolean {
  // A UTF-16 code unit takes at most 3 bytes in UTF-8: most keys are short enough not to be measured.
  return typeof value === "string" && value.length * 3 > limit && utf8Bytes(value) > limit;
}

function keyTooLarge(partition: unknown, sort: unknown): boolean {
  return isOver(partition, MAX_PARTITION_KEY_BYTES) || isOver(sort, MAX_SORT_KEY_BYTES);
}

/** The table key's size error, if the key is over its limits (in a transaction, only its item fails). */
export function tableKeySizeError(key: Key): StoreLimitError | undefined {
  if (!keyTooLarge(key.PK, key.SK)) return undefined;
  return new StoreLimitError(
    "keySize",
    `partition keys are limited to ${MAX_PARTITION_KEY_BYTES} bytes and sort keys to ${MAX_SORT_KEY_BYTES}`,
  );
}

/** Refuses index key values over their limits, in an item or among an update's values. */
function checkIndexKeySizes(values: Readonly<Record<string, Value | undefined>>): void {
  for (const name of INDEX_NAMES) {
    const { partition, sort } = INDEX_KEYS[name];
    if (keyTooLarge(values[partition], values[sort])) {
      throw new StoreLimitError("keySize", `an ${name} key value is over its size limit`);
    }
  }
}

/** Refuses a sort key condition operand longer than a sort key can be. */
export function checkSortOperandSize(operands: readonly string[]): void {
  if (operands.some((operand) => utf8Bytes(operand) > MAX_SORT_KEY_BYTES)) {
    throw new StoreLimitError("keySize", `sort key conditions are limited to ${MAX_SORT_KEY_BYTES} bytes`);
  }
}

/** Refuses a transaction whose puts add up to more than 4 MB (`size`, the sum of checkRequestLimits). */
export function checkTransactionSize(size: number): void {
  if (size > MAX_TRANSACTION_BYTES) {
    throw new StoreLimitError("transactionSize", `a transaction's items are limited to 4 MB (${size} bytes)`);
  }
}

/**
 * The limits DynamoDB checks before anything else, refusing the whole request (a whole transaction
 * too): a put's size, nesting and index key sizes, and an update's values. Limits that depend on the
 * stored item, or on the table key, are the write's own (see `decideWrite`). Returns the bytes the write
 * puts (a put's item size, 0 otherwise), which count toward the transaction's size.
 */
export function checkRequestLimits(write: CheckedItem): number {
  if (write.kind === "put") {
    const size = putItemBytes(write.item);
    checkIndexKeySizes(write.item);
    const error = sizeError(size);
    if (error) throw error;
    return size;
  }
  if (write.kind === "update") {
    checkNesting(write.update.set);
    checkNesting(write.update.setIfNotExists);
    checkIndexKeySizes({ ...write.update.set, ...write.update.setIfNotExists });
  }
  return 0;
}
