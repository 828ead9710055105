/** Base class of the storage port's errors, so callers can catch them as one family. */
export class StoreError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A single-item write was refused because its condition did not hold. */
export class ConditionFailedError extends StoreError {
  constructor(options?: ErrorOptions) {
    super("the conditional request failed", options);
  }
}

/** Why each item of a canceled transaction was refused, as DynamoDB reports it. */
export type CancellationReason =
  | "None"
  | "ConditionalCheckFailed"
  | "TransactionConflict"
  | "ValidationError"
  | "ItemCollectionSizeLimitExceeded"
  | "ProvisionedThroughputExceeded"
  | "ThrottlingError";

/** A transaction wrote nothing; `reasons` has one entry per item, in the order given. */
export class TransactionCanceledError extends StoreError {
  constructor(
    readonly reasons: readonly CancellationReason[],
    options?: ErrorOptions,
  ) {
    super(`transaction canceled: [${reasons.join(", ")}]`, options);
  }

  /** True when at least one item failed its condition. */
  get conditionFailed(): boolean {
    return this.reasons.includes("ConditionalCheckFailed");
  }
}

/** The request itself is invalid, as DynamoDB would reject it (nothing was written). */
export class StoreValidationError extends StoreError {}

/** Which of DynamoDB's size limits a request went over (see `limits.ts`). */
export type StoreLimit = "itemSize" | "keySize" | "transactionSize" | "nesting";

/**
 * The request is well formed but too large for the store: an item over 400 KB, a key over its byte
 * limit, a transaction over 4 MB, or values nested too deep. Its size comes from what callers send, so
 * services answer it as a client error rather than a fault.
 */
export class StoreLimitError extends StoreValidationError {
  constructor(
    readonly limit: StoreLimit,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** A query cursor that is malformed or belongs to another query (partition, index or key range). */
export class InvalidCursorError extends StoreValidationError {}
