import { retryAfterSeconds } from "@bourse/common/rate-limits";
import { LoginRequestSchema } from "@bourse/proto/bourse/users/v1/auth_service_pb";
import { isMessage } from "@bufbuild/protobuf";
import {
  Code,
  ConnectError,
  type ContextValues,
  type Interceptor,
  type StreamRequest,
  type UnaryRequest,
} from "@connectrpc/connect";
import type { GatewayRateLimiter, RateDecision } from "./gateway-rate-limiter.js";
import { methodCost } from "./method-cost.js";

export interface RateLimitInterceptorOptions {
  /** The client's address (an IP), as the gateway trusts it. */
  peerAddress(context: ContextValues): string;
  /** The signed-in user, set by the auth interceptor that runs before this one; undefined if anonymous. */
  userId(context: ContextValues): string | undefined;
  /** The email a Login call signs in with; undefined for any other call. */
  emailOfLogin(request: UnaryRequest | StreamRequest): string | undefined;
}

/** The email of an `AuthService.Login` request; undefined for every other call. */
export function loginEmailOf(request: UnaryRequest | StreamRequest): string | undefined {
  if (request.stream || !isMessage(request.message, LoginRequestSchema)) return undefined;
  return request.message.email;
}

function rateLimitHeaders(decision: RateDecision): Record<string, string> {
  return {
    "x-ratelimit-limit": String(decision.limit),
    "x-ratelimit-remaining": String(decision.remaining),
  };
}

function refused(decision: RateDecision, what: string): ConnectError {
  const seconds = retryAfterSeconds(decision.retryAfterMs);
  return new ConnectError(`${what}; retry in ${seconds} s`, Code.ResourceExhausted, {
    "retry-after": String(seconds),
    ...rateLimitHeaders(decision),
  });
}

/**
 * Charges each call `methodCost` points to its client address and user before it is forwarded, and
 * each Login one attempt to the address and the email. Over a budget the call fails with
 * `resource_exhausted` and `retry-after` (seconds), `x-ratelimit-limit` and `x-ratelimit-remaining`
 * in its metadata; an allowed call gets the last two as response headers.
 */
export function rateLimitInterceptor(
  limiter: GatewayRateLimiter,
  options: RateLimitInterceptorOptions,
): Interceptor {
  return (next) => async (request) => {
    const ip = options.peerAddress(request.contextValues);
    const userId = options.userId(request.contextValues);
    const cost = methodCost(request.service.typeName, request.method.name);
    const method = `${request.service.typeName}/${request.method.name}`;
    const decision = await limiter.consume({ ip, userId, method }, cost);
    if (!decision.allowed) throw refused(decision, "too many requests");
    const email = options.emailOfLogin(request);
    if (email !== undefined) {
      const login = await limiter.consumeLogin({ ip, email });
      if (!login.allowed) throw refused(login, "too many sign-in attempts");
    }
    const response = await next(request);
    for (const [name, value] of Object.entries(rateLimitHeaders(decision))) response.header.set(name, value);
    return response;
  };
}
