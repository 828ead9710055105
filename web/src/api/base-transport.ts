import { Code, ConnectError, type Interceptor } from "@connectrpc/connect";
import { createConnectTransport } from "@connectrpc/connect-web";
import { reportCallReached } from "./connection.ts";

/**
 * Feeds the connection indicator: a unary call that could not reach the exchange (network down, gateway or
 * service unavailable) shows it as unreachable until a call gets through. Streams report their own state.
 */
const reachability: Interceptor = (next) => async (request) => {
  if (request.stream) return next(request);
  try {
    const response = await next(request);
    reportCallReached(true);
    return response;
  } catch (error) {
    const failure = ConnectError.from(error);
    const networkFailure = failure.code === Code.Unknown && failure.cause instanceof TypeError;
    reportCallReached(!(networkFailure || failure.code === Code.Unavailable));
    throw error;
  }
};

/**
 * The gateway serves the app and the API on one origin, so calls go to relative paths: no CORS, and the
 * Content-Security-Policy's `default-src 'self'` allows them. Binary Protobuf is smaller and faster to decode
 * than JSON.
 */
export const transportOptions = {
  baseUrl: window.location.origin,
  useBinaryFormat: true,
  interceptors: [reachability],
};

/** A transport without credentials, for AuthService (which needs none) and for public market data. */
export const publicTransport = createConnectTransport(transportOptions);
