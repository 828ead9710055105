import { createLogger, type Env, type Logger } from "@bourse/common";
import { addressKey, digestKey, fixedWindowLimiter, limiterRedis } from "@bourse/common/rate-limits";
import type { Redis } from "ioredis";
import { type RateLimiterAbstract, RateLimiterRes } from "rate-limiter-flexible";
import { loadRateLimitConfig } from "./rate-limit-config.js";

export interface RateDecision {
  readonly allowed: boolean;
  /** Points left in the tightest budget's window (0 when refused). */
  readonly remaining: number;
  /** When refused, how long until the refusing budget's window ends; else 0. */
  readonly retryAfterMs: number;
  /** The points per window of the budget the decision reports on. */
  readonly limit: number;
}

export interface GatewayRateLimiter {
  /** Charges `cost` points to a client address (an IPv6 /64 counts as one); refuses when it is over. */
  consumeByAddress(ip: string, cost: number): Promise<RateDecision>;
  /** Charges `cost` points to a signed-in user, over all their addresses; refuses when it is over. */
  consumeByUser(userId: string, cost: number): Promise<RateDecision>;
  /** Login attempts: by IP and by account (email), stricter; call on every Login. */
  consumeLogin(key: { ip: string; email: string }): Promise<RateDecision>;
  close(): Promise<void>;
}

export interface GatewayRateLimiterOptions {
  /** Where the Redis outage (and recovery) is logged, once each. */
  readonly logger?: Logger;
  /**
   * Counters on this client instead of one opened from `REDIS_URL`; the caller closes it. It should
   * have no offline queue (`limiterRedis`), so that calls never wait for an unreachable Redis.
   */
  readonly redis?: Redis;
}

interface Budget {
  readonly limiter: RateLimiterAbstract;
  readonly key: string;
}

async function charge({ limiter, key }: Budget, cost: number): Promise<RateDecision> {
  try {
    const spent = await limiter.consume(key, cost);
    return { allowed: true, remaining: spent.remainingPoints, retryAfterMs: 0, limit: limiter.points };
  } catch (refusal) {
    if (!(refusal instanceof RateLimiterRes)) throw refusal;
    return { allowed: false, remaining: 0, retryAfterMs: refusal.msBeforeNext, limit: limiter.points };
  }
}

/**
 * Charges every budget; the answer is the refusal that lasts longest, or when all allow, the budget
 * with the fewest points left.
 */
async function chargeAll(budgets: readonly Budget[], cost: number): Promise<RateDecision> {
  const decisions = await Promise.all(budgets.map((budget) => charge(budget, cost)));
  const refusals = decisions.filter((decision) => !decision.allowed);
  if (refusals.length > 0) {
    return refusals.reduce((longest, refusal) =>
      refusal.retryAfterMs > longest.retryAfterMs ? refusal : longest,
    );
  }
  return decisions.reduce((tightest, decision) =>
    decision.remaining < tightest.remaining ? decision : tightest,
  );
}

/**
 * The gateway's budgets (rate-limiter-flexible, fixed windows): points per client address and per
 * user for every call, and a stricter count of Login calls per address and per email. With
 * `REDIS_URL` (or `options.redis`) the counters are in Redis, shared by the replicas; while Redis is
 * unreachable each replica counts in memory. Without, in memory.
 */
export function createGatewayRateLimiter(
  env: Env,
  options: GatewayRateLimiterOptions = {},
): GatewayRateLimiter {
  const config = loadRateLimitConfig(env);
  const ownRedis =
    options.redis || !config.REDIS_URL
      ? undefined
      : limiterRedis(config.REDIS_URL, options.logger ?? createLogger("gateway"), "gateway rate limits");
  const redis = options.redis ?? ownRedis;
  const limiter = (keyPrefix: string, points: number, windowSeconds: number) =>
    fixedWindowLimiter({ keyPrefix: `gateway:${keyPrefix}`, points, windowSeconds, redis });

  const perAddress = limiter(
    "address",
    config.GATEWAY_RATE_POINTS_PER_ADDRESS,
    config.GATEWAY_RATE_WINDOW_SECONDS,
  );
  const perUser = limiter("user", config.GATEWAY_RATE_POINTS_PER_USER, config.GATEWAY_RATE_WINDOW_SECONDS);
  const loginsPerAddress = limiter(
    "login:address",
    config.GATEWAY_LOGIN_ATTEMPTS_PER_ADDRESS,
    config.GATEWAY_LOGIN_WINDOW_SECONDS,
  );
  const loginsPerEmail = limiter(
    "login:email",
    config.GATEWAY_LOGIN_ATTEMPTS_PER_EMAIL,
    config.GATEWAY_LOGIN_WINDOW_SECONDS,
  );

  return {
    consumeByAddress(ip, cost) {
      return charge({ limiter: perAddress, key: addressKey(ip) }, cost);
    },
    consumeByUser(userId, cost) {
      return charge({ limiter: perUser, key: userId }, cost);
    },
    consumeLogin({ ip, email }) {
      return chargeAll(
        [
          { limiter: loginsPerAddress, key: addressKey(ip) },
          // Emails are not written to Redis, and one account is one budget whatever the letter case.
          { limiter: loginsPerEmail, key: digestKey(email.trim().toLowerCase()) },
        ],
        1,
      );
    },
    async close() {
      ownRedis?.disconnect();
    },
  };
}
