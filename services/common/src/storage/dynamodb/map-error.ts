import {
  type CancellationReason,
  ConditionFailedError,
  StoreValidationError,
  TransactionCanceledError,
} from "../errors.js";

interface AwsError extends Error {
  CancellationReasons?: { Code?: string }[];
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
      return new StoreValidationError(error.message, { cause: error });
    default:
      return error;
  }
}
