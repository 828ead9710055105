import { addressKey, digestKey, fixedWindowLimiter, retryAfterSeconds } from "@bourse/common/rate-limits";
import { Code, ConnectError } from "@connectrpc/connect";
import type { Redis } from "ioredis";
import { type RateLimiterAbstract, RateLimiterRes } from "rate-limiter-flexible";

export interface LoginThrottleOptions {
  /** Sign-in attempts per account (by email, known or not) per window. */
  readonly attemptsPerAccount: number;
  /** Sign-in attempts per client address (an IPv6 /64 counts as one) per window. */
  readonly attemptsPerAddress: number;
  readonly windowSeconds: number;
  /**
   * Counters in Redis, shared by every replica; in this process when absent. Give it a client without
   * an offline queue (`limiterRedis` of @bourse/common/rate-limits), so that a command fails at once
   * (and the in-process fallback counts) while Redis is unreachable.
   */
  readonly redis?: Redis;
  /** Told which budget refused an attempt, for the rejection metric. */
  readonly onThrottled?: (scope: "account" | "address") => void;
}

export interface LoginThrottle {
  /**
   * Counts an attempt against the account and the address, before any password is hashed; refuses it
   * with `resource_exhausted` and a `retry-after` header (seconds) once either budget is spent.
   */
  admit(email: string, address: string | undefined): Promise<void>;
  /** Gives back what a successful sign-in cost, so that only failures add up. */
  succeeded(email: string, address: string | undefined): Promise<void>;
}

function limiter(options: LoginThrottleOptions, scope: string, points: number): RateLimiterAbstract {
  return fixedWindowLimiter({
    keyPrefix: `login:${scope}`,
    points,
    windowSeconds: options.windowSeconds,
    redis: options.redis,
  });
}

function throttled(refusal: RateLimiterRes): ConnectError {
  const seconds = retryAfterSeconds(refusal.msBeforeNext);
  return new ConnectError(`too many sign-in attempts; retry in ${seconds} s`, Code.ResourceExhausted, {
    "retry-after": String(seconds),
  });
}

/** Per-account and per-address sign-in budgets (rate-limiter-flexible, fixed windows). */
export function createLoginThrottle(options: LoginThrottleOptions): LoginThrottle {
  const accounts = limiter(options, "account", options.attemptsPerAccount);
  const addresses = limiter(options, "address", options.attemptsPerAddress);
  const budgets = (email: string, address: string | undefined) => [
    { scope: "account" as const, limiter: accounts, key: digestKey(email) },
    ...(address === undefined
      ? []
      : [{ scope: "address" as const, limiter: addresses, key: addressKey(address) }]),
  ];

  return {
    async admit(email, address) {
      const checked = budgets(email, address);
      const outcomes = await Promise.allSettled(checked.map((budget) => budget.limiter.consume(budget.key)));
      for (const [index, outcome] of outcomes.entries()) {
        if (outcome.status === "fulfilled") continue;
        if (!(outcome.reason instanceof RateLimiterRes)) throw outcome.reason;
        const budget = checked[index];
        if (budget) options.onThrottled?.(budget.scope);
        throw throttled(outcome.reason);
      }
    },
    async succeeded(email, address) {
      await Promise.all(budgets(email, address).map((budget) => budget.limiter.reward(budget.key)));
    },
  };
}
