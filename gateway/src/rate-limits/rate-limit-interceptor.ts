import { retryAfterSeconds } from "@bourse/common/rate-limits";
import { LoginRequestSchema } from "@bourse/proto/bourse/users/v1/auth_service_pb";
import { isMessage } from "@bufbuild/protobuf";
import {
  Code,
  ConnectError,
  type ContextValues,
  createContextKey,
  type Interceptor,
  type StreamRequest,
  type UnaryRequest,
} from "@connectrpc/connect";
import type { GatewayRateLimiter, RateDecision } from "./gateway-rate-limiter.js";
import { methodCost } from "./method-cost.js";

export interface RateLimitInterceptorOptions {
  /** The client's address (an IP), as the gateway trusts it. */
  clientAddress(request: UnaryRequest | StreamRequest): string;
  /** The signed-in user, set by the auth interceptor that runs between the two; undefined if anonymous. */
  userId(context: ContextValues): string | undefined;
  /** The email a Login call signs in with; undefined for any other call. */
  emailOfLogin(request: UnaryRequest | StreamRequest): string | undefined;
}

export interface RateLimitInterceptors {
  /** Charges the client address: first, before the token is checked, so that bad tokens are limited too. */
  readonly perAddress: Interceptor;
  /** Charges the user and Login attempts: after the auth interceptor, which says who the user is. */
  readonly perUser: Interceptor;
}

/** What `perAddress` charged, for `perUser`: the address Login attempts count against, and the quota headers. */
const addressChargeKey = createContextKey<{ ip: string; decision: RateDecision } | undefined>(undefined, {
  description: "address rate charge",
});

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

/** The budget with the fewest points left, whose figures an allowed call's headers report. */
const tightest = (one: RateDecision, other: RateDecision | undefined): RateDecision =>
  other !== undefined && other.remaining < one.remaining ? other : one;

const costOf = (request: UnaryRequest | StreamRequest) =>
  methodCost(request.service.typeName, request.method.name);

/**
 * Charges each call `methodCost` points to its client address, then, once the auth interceptor has
 * checked its token, to its user, and each Login one attempt to the address and the email; all before
 * it is forwarded. Over a budget the call fails with `resource_exhausted` and `retry-after` (seconds),
 * `x-ratelimit-limit` and `x-ratelimit-remaining` in its metadata; an allowed call gets the last two,
 * of its tightest budget, as response headers. Put `perAddress` before the auth interceptor and
 * `perUser` after it.
 */
export function rateLimitInterceptors(
  limiter: GatewayRateLimiter,
  options: RateLimitInterceptorOptions,
): RateLimitInterceptors {
  const perAddress: Interceptor = (next) => async (request) => {
    const ip = options.clientAddress(request);
    const decision = await limiter.consumeByAddress(ip, costOf(request));
    if (!decision.allowed) throw refused(decision, "too many requests");
    request.contextValues.set(addressChargeKey, { ip, decision });
    return next(request);
  };
  const perUser: Interceptor = (next) => async (request) => {
    const addressCharge = request.contextValues.get(addressChargeKey);
    if (addressCharge === undefined)
      throw new Error("the per-address rate limit must run before the per-user one");
    const userId = options.userId(request.contextValues);
    const userDecision =
      userId === undefined ? undefined : await limiter.consumeByUser(userId, costOf(request));
    if (userDecision !== undefined && !userDecision.allowed) throw refused(userDecision, "too many requests");
    const email = options.emailOfLogin(request);
    if (email !== undefined) {
      const login = await limiter.consumeLogin({ ip: addressCharge.ip, email });
      if (!login.allowed) throw refused(login, "too many sign-in attempts");
    }
    const response = await next(request);
    const reported = tightest(addressCharge.decision, userDecision);
    for (const [name, value] of Object.entries(rateLimitHeaders(reported))) response.header.set(name, value);
    return response;
  };
  return { perAddress, perUser };
}
