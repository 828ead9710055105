import type { Interceptor } from "@connectrpc/connect";
import type { Logger } from "../../logging/logger.js";
import { observeOutcome, outcomeCode } from "../call-outcome.js";

/**
 * Probes would drown the log at info level, and so would the embedded state service, whose calls are the
 * other services' every store read and write under `npm start`.
 */
const quietServices = new Set([
  "grpc.health.v1.Health",
  "grpc.reflection.v1.ServerReflection",
  "bourse.state.v1.EmbeddedStoreService",
  "bourse.state.v1.EmbeddedLockService",
  "bourse.state.v1.EmbeddedUserEventService",
]);

/**
 * One line per finished RPC with its outcome and duration. Request and response bodies are
 * never logged: they can carry passwords and tokens.
 */
export function loggingInterceptor(logger: Logger): Interceptor {
  return (next) => async (req) => {
    const started = performance.now();
    return observeOutcome(
      () => next(req),
      (error) => {
        const fields = {
          rpc_service: req.service.typeName,
          rpc_method: req.method.name,
          code: outcomeCode(error),
          duration_ms: Math.round((performance.now() - started) * 1000) / 1000,
        };
        const level = quietServices.has(req.service.typeName) ? "debug" : "info";
        if (error) logger[level]({ ...fields, error: error.rawMessage }, "rpc failed");
        else logger[level](fields, "rpc");
      },
    );
  };
}
