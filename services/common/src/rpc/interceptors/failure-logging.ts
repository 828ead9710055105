import { Code, type ConnectError, type Interceptor } from "@connectrpc/connect";
import type { Logger } from "../../logging/logger.js";
import { observeOutcome, outcomeCode } from "../call-outcome.js";

/**
 * Codes that are a dependency's ordinary answer to a request (an unknown asset, a refused amount):
 * the caller handles them, and logging each would let any client fill the log.
 */
const answers = new Set([
  Code.Canceled,
  Code.InvalidArgument,
  Code.NotFound,
  Code.AlreadyExists,
  Code.FailedPrecondition,
  Code.Aborted,
  Code.OutOfRange,
]);

/** The lowest cause of a failed call, e.g. `ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:50052`. */
function describeCause(error: ConnectError): string {
  let cause: unknown = error.cause;
  while (cause instanceof Error && cause.cause instanceof Error) cause = cause.cause;
  if (!(cause instanceof Error)) return error.rawMessage;
  const code = (cause as NodeJS.ErrnoException).code;
  return typeof code === "string" ? `${code}: ${cause.message}` : cause.message;
}

/**
 * Logs each outgoing call that fails as a fault (unreachable, timed out, refused, broken) with the
 * URL, the RPC, the code and the cause, so that a misconfigured dependency names itself. Ordinary
 * answers are logged at debug. Request bodies and headers are never logged: they carry tokens.
 */
export function failureLoggingClientInterceptor(logger: Logger): Interceptor {
  return (next) => async (req) =>
    observeOutcome(
      () => next(req),
      (error) => {
        if (!error) return;
        const fields = {
          url: req.url,
          rpc: `${req.service.typeName}/${req.method.name}`,
          code: outcomeCode(error),
          cause: describeCause(error),
        };
        if (answers.has(error.code)) logger.debug(fields, "dependency answered with an error");
        else logger.warn(fields, "dependency call failed");
      },
    );
}
