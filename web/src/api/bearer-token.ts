import { Code, ConnectError, type Interceptor } from "@connectrpc/connect";
import { getSession, refreshSession } from "./session.ts";

/**
 * Sends the access token with every call made while signed in. A unary call rejected as unauthenticated
 * (the token expired between the silent refreshes, or the tab slept) refreshes the session once and is
 * retried; a stream is not retried here, since its request has been consumed: useStream reconnects instead.
 */
export const bearerToken: Interceptor = (next) => async (request) => {
  const token = getSession()?.accessToken;
  if (!token) return next(request);
  request.header.set("authorization", `Bearer ${token}`);
  try {
    return await next(request);
  } catch (error) {
    if (request.stream || ConnectError.from(error).code !== Code.Unauthenticated) throw error;
    if (!(await refreshSession())) throw error;
    request.header.set("authorization", `Bearer ${getSession()?.accessToken ?? ""}`);
    return next(request);
  }
};
