import type { Interceptor, StreamResponse } from "@connectrpc/connect";
import { isServerFault, toConnectError } from "../../errors.js";
import type { Logger } from "../../logging/logger.js";

/**
 * Normalises whatever a handler throws into a ConnectError with a proper code. Server faults
 * are logged with their cause here, once, and reach the caller only as `internal error`.
 */
export function errorMappingInterceptor(logger: Logger): Interceptor {
  const normalise = (error: unknown, rpc: string) => {
    const connectError = toConnectError(error);
    if (isServerFault(connectError)) {
      logger.error({ err: connectError.cause ?? connectError, rpc }, "rpc failed with a server fault");
    }
    return connectError;
  };
  return (next) => async (req) => {
    const rpc = `${req.service.typeName}/${req.method.name}`;
    let response: Awaited<ReturnType<typeof next>>;
    try {
      response = await next(req);
    } catch (error) {
      throw normalise(error, rpc);
    }
    if (!response.stream) return response;
    return { ...response, message: normaliseStream(response, (error) => normalise(error, rpc)) };
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
