import { Code, ConnectError } from "@connectrpc/connect";
import { ZodError } from "zod";
import { type StoreLimit, StoreLimitError } from "./storage/errors.js";

/** What a caller is told when what it sent is too large for the store. */
const STORE_LIMIT_MESSAGES: Readonly<Record<StoreLimit, string>> = {
  itemSize: "the request is too large to store",
  keySize: "an identifier in the request is too long to store",
  transactionSize: "the request is too large to store",
  nesting: "the request nests values too deeply to store",
};

/**
 * Turns any thrown value into a ConnectError, keeping the original as `cause`.
 * Validation errors become `invalid_argument` with their messages, and so do the store's size limits,
 * since what the caller sent is what made the item or key too large; aborts become
 * `deadline_exceeded` or `canceled`; anything unexpected becomes an opaque `internal`
 * so that no implementation detail leaks to callers.
 */
export function toConnectError(error: unknown): ConnectError {
  if (error instanceof ConnectError) return error;
  if (error instanceof ZodError) {
    const problems = error.issues.map((issue) =>
      issue.path.length > 0 ? `${issue.path.join(".")}: ${issue.message}` : issue.message,
    );
    return new ConnectError(problems.join("; "), Code.InvalidArgument, undefined, undefined, error);
  }
  if (error instanceof StoreLimitError) {
    return new ConnectError(
      STORE_LIMIT_MESSAGES[error.limit],
      Code.InvalidArgument,
      undefined,
      undefined,
      error,
    );
  }
  if (error instanceof DOMException && error.name === "TimeoutError") {
    return new ConnectError("deadline exceeded", Code.DeadlineExceeded, undefined, undefined, error);
  }
  if (error instanceof DOMException && error.name === "AbortError") {
    return new ConnectError("call canceled", Code.Canceled, undefined, undefined, error);
  }
  return new ConnectError("internal error", Code.Internal, undefined, undefined, error);
}

/** True when the error is a server fault worth a stack trace in the log, not a caller mistake. */
export function isServerFault(error: ConnectError): boolean {
  return [Code.Internal, Code.Unknown, Code.DataLoss, Code.Unimplemented].includes(error.code);
}

export const invalidArgument = (message: string) => new ConnectError(message, Code.InvalidArgument);
export const notFound = (message: string) => new ConnectError(message, Code.NotFound);
export const failedPrecondition = (message: string) => new ConnectError(message, Code.FailedPrecondition);
export const permissionDenied = (message: string) => new ConnectError(message, Code.PermissionDenied);
export const unauthenticated = (message: string) => new ConnectError(message, Code.Unauthenticated);
export const resourceExhausted = (message: string) => new ConnectError(message, Code.ResourceExhausted);
export const unavailable = (message: string) => new ConnectError(message, Code.Unavailable);
