import {
  type CancellationReason,
  ConditionFailedError,
  InvalidCursorError,
  type StoreLimit,
  StoreLimitError,
  StoreValidationError,
  TransactionCanceledError,
} from "../errors.js";

interface AwsError extends Error {
  CancellationReasons?: { Code?: string }[];
}

/**
 * DynamoDB reports every refused request as a ValidationException, told apart only by its message.
 * These match the messages of both DynamoDB and DynamoDB Local for the limits callers can run into.
 */
const LIMIT_MESSAGES: readonly (readonly [RegExp, StoreLimit])[] = [
  [/item size (to update )?has exceeded the maximum allowed size/i, "itemSize"],
  [/transaction (payload )?(request )?size|transaction request cannot be larger/i, "transactionSize"],
  [
    /primary key values must be under|size of (hash|range) ?key has exceeded|aggregated size of all range keys|parameter values were invalid: size limit exceeded/i,
    "keySize",
  ],
  [/nest(ed|ing) levels/i, "nesting"],
];
const CURSOR_MESSAGE = /starting key|exclusive ?start ?key/i;

function toValidationError(error: Error): StoreValidationError {
  const limit = LIMIT_MESSAGES.find(([pattern]) => pattern.test(error.message))?.[1];
  if (limit) return new StoreLimitError(limit, error.message, { cause: error });
  if (CURSOR_MESSAGE.test(error.message)) return new InvalidCursorError(error.message, { cause: error });
  return new StoreValidationError(error.message, { cause: error });
}

/** Turns DynamoDB's exceptions into the port's errors, keeping the original as `cause`. */
export function toStoreError(error: unknown): unknown {
  if (!(error instanceof Error)) return error;
  switch (error.name) {
    case "ConditionalCheckFailedException":
      return new ConditionFailedError({ cause: error });
    case "TransactionCanceledException": {
      const reasons = (error as AwsError).CancellationReasons ?? [];
      return new TransactionCanceledError(
        reasons.map((reason) => (reason.Code ?? "None") as CancellationReason),
        { cause: error },
      );
    }
    case "ValidationException":
      return toValidationError(error);
    default:
      return error;
  }
}
