import { type Logger, peerAddressKey, requestIdHeader } from "@bourse/common";
import { Code, ConnectError, type Interceptor } from "@connectrpc/connect";
import { principalKey } from "./auth-interceptor.js";

/**
 * One line per call: method, outcome, duration, peer and user. Headers are not logged, so no token
 * ever is. A stream is logged when it is opened; its end is the client's or the upstream's business.
 */
export function accessLogInterceptor(logger: Logger): Interceptor {
  return (next) => async (request) => {
    const started = performance.now();
    const entry = () => ({
      method: `${request.service.typeName}/${request.method.name}`,
      peer: request.contextValues.get(peerAddressKey),
      user: request.contextValues.get(principalKey)?.userId,
      request_id: request.header.get(requestIdHeader) ?? undefined,
      duration_ms: Math.round(performance.now() - started),
    });
    try {
      const response = await next(request);
      logger.info({ ...entry(), code: "ok" }, "call");
      return response;
    } catch (error) {
      const failure = ConnectError.from(error);
      const reason = failure.cause instanceof Error ? failure.cause.message : failure.rawMessage;
      logger.info({ ...entry(), code: Code[failure.code], error: reason }, "call");
      throw error;
    }
  };
}
