import { Code, ConnectError } from "@connectrpc/connect";

/** What to tell the user for each code when the server's own message is not meant for them. */
const fallbackByCode: Readonly<Record<Code, string>> = {
  [Code.Canceled]: "The request was cancelled.",
  [Code.Unknown]: "Something went wrong on the exchange. Please try again.",
  [Code.InvalidArgument]: "Some of the values entered are not valid.",
  [Code.DeadlineExceeded]: "The exchange took too long to answer. Please try again.",
  [Code.NotFound]: "That was not found.",
  [Code.AlreadyExists]: "That already exists.",
  [Code.PermissionDenied]: "You are not allowed to do that.",
  [Code.ResourceExhausted]: "Too many requests. Please wait a moment and try again.",
  [Code.FailedPrecondition]: "That cannot be done right now.",
  [Code.Aborted]: "That conflicted with another change. Please try again.",
  [Code.OutOfRange]: "A value is out of the allowed range.",
  [Code.Unimplemented]: "The exchange does not support that yet.",
  [Code.Internal]: "Something went wrong on the exchange. Please try again.",
  [Code.Unavailable]: "The exchange cannot be reached right now. Please try again in a moment.",
  [Code.DataLoss]: "Something went wrong on the exchange. Please try again.",
  [Code.Unauthenticated]: "Your session has ended. Please log in again.",
};

/**
 * Codes whose server message describes the user's own input or situation ("password must be at least 10
 * characters", "insufficient balance"): that message is shown. Other codes describe the server's trouble, whose
 * message would only confuse, so a plain sentence is shown instead.
 */
const userFacingCodes: ReadonlySet<Code> = new Set([
  Code.InvalidArgument,
  Code.NotFound,
  Code.AlreadyExists,
  Code.PermissionDenied,
  Code.ResourceExhausted,
  Code.FailedPrecondition,
  Code.OutOfRange,
  Code.Unauthenticated,
]);

/** A sentence for the user about a failed call: never a raw code such as "[invalid_argument]". */
export function describeError(error: unknown): string {
  const connectError = ConnectError.from(error);
  const networkFailure = error instanceof TypeError || connectError.cause instanceof TypeError;
  if (connectError.code === Code.Unknown && networkFailure) return fallbackByCode[Code.Unavailable];
  const message = connectError.rawMessage.trim();
  if (!userFacingCodes.has(connectError.code) || message === "") return fallbackByCode[connectError.code];
  const sentence = message.charAt(0).toUpperCase() + message.slice(1);
  return /[.!?]$/.test(sentence) ? sentence : `${sentence}.`;
}
