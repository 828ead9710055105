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
