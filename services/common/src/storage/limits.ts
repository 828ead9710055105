/*
 * DynamoDB's size limits. DynamoDB enforces them itself; the embedded engine enforces the same numbers,
 * and callers can use them to bound what they store.
 */

/** The largest item: attribute names and values, counted as DynamoDB counts them (400 KB). */
export const MAX_ITEM_BYTES = 400 * 1024;

/** The largest partition key value (table or index), in UTF-8 bytes. */
export const MAX_PARTITION_KEY_BYTES = 2048;

/** The largest sort key value (table or index), in UTF-8 bytes. */
export const MAX_SORT_KEY_BYTES = 1024;

/** The largest transaction: the sizes of the items it puts, added up (4 MB). */
export const MAX_TRANSACTION_BYTES = 4 * 1024 * 1024;

/** The most lists and maps one value may nest. */
export const MAX_NESTING_DEPTH = 31;
