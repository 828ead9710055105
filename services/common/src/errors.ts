import { Code, ConnectError } from "@connectrpc/connect";
import { ZodError } from "zod";

/**
 * Turns any thrown value into a ConnectError, keeping the original as `cause`.
 * Validation errors become `invalid_argument` with their messages; aborts become
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
