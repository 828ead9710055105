import { Code, ConnectError, type Interceptor, type StreamResponse } from "@connectrpc/connect";
import { isServerFault, toConnectError } from "../../errors.js";
import type { Logger } from "../../logging/logger.js";
import { newRequestId, requestIdHeader, requestIdKey } from "../request-id.js";

/**
 * Gives every call a request id, returned in the `x-request-id` header (or trailer), and normalises
 * whatever a handler throws into a ConnectError with a proper code. A server fault is logged here,
 * once, with its detail and the request id; the caller gets only `internal error (request id …)`,
 * whatever the fault's own message said, since that may name keys, balances or hosts.
 */
export function errorMappingInterceptor(logger: Logger): Interceptor {
  return (next) => async (req) => {
    const requestId = newRequestId();
    req.contextValues.set(requestIdKey, requestId);
    const normalise = (error: unknown): ConnectError => {
      const connectError = toConnectError(error);
      if (!isServerFault(connectError)) {
        connectError.metadata.set(requestIdHeader, requestId);
        return connectError;
      }
      logger.error(
        {
          err: connectError.cause ?? connectError,
          detail: connectError.rawMessage,
          rpc: `${req.service.typeName}/${req.method.name}`,
          request_id: requestId,
        },
        "rpc failed with a server fault",
      );
      return new ConnectError(
        `internal error (request id ${requestId})`,
        Code.Internal,
        { [requestIdHeader]: requestId },
        undefined,
        connectError,
      );
    };
    let response: Awaited<ReturnType<typeof next>>;
    try {
      response = await next(req);
    } catch (error) {
      throw normalise(error);
    }
    response.header.set(requestIdHeader, requestId);
    if (!response.stream) return response;
    return { ...response, message: normaliseStream(response, normalise) };
  };
}

async function* normaliseStream(
  response: StreamResponse,
  normalise: (error: unknown) => Error,
): AsyncGenerator<StreamResponse["message"] extends AsyncIterable<infer T> ? T : never> {
  try {
    yield* response.message;
  } catch (error) {
    throw normalise(error);
  }
}
