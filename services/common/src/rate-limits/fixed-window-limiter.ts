import type { Redis } from "ioredis";
import { type RateLimiterAbstract, RateLimiterMemory, RateLimiterRedis } from "rate-limiter-flexible";

export interface FixedWindowLimiterOptions {
  readonly keyPrefix: string;
  /** Points a key may spend per window. */
  readonly points: number;
  readonly windowSeconds: number;
  /**
   * Counters in Redis, shared by every replica; in this process when absent. Give it a client without
   * an offline queue (`limiterRedis`), so that a command fails at once and the in-process fallback
   * counts while Redis is unreachable.
   */
  readonly redis?: Redis;
}

/** A rate-limiter-flexible fixed-window limiter: on Redis with an in-memory insurance limiter, or in memory. */
export function fixedWindowLimiter(options: FixedWindowLimiterOptions): RateLimiterAbstract {
  const settings = { keyPrefix: options.keyPrefix, points: options.points, duration: options.windowSeconds };
  if (!options.redis) return new RateLimiterMemory(settings);
  return new RateLimiterRedis({
    ...settings,
    storeClient: options.redis,
    // Redis failing: each replica keeps counting on its own rather than letting everything through.
    insuranceLimiter: new RateLimiterMemory(settings),
  });
}

/** The `retry-after` value (whole seconds, at least 1) for a refusal that clears in `msBeforeNext`. */
export const retryAfterSeconds = (msBeforeNext: number) => Math.max(1, Math.ceil(msBeforeNext / 1000));
