import { createHash } from "node:crypto";
import { isIPv6 } from "node:net";
import { Code, ConnectError } from "@connectrpc/connect";
import type { Redis } from "ioredis";
import {
  type RateLimiterAbstract,
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
} from "rate-limiter-flexible";

export interface LoginThrottleOptions {
  /** Sign-in attempts per account (by email, known or not) per window. */
  readonly attemptsPerAccount: number;
  /** Sign-in attempts per client address (an IPv6 /64 counts as one) per window. */
  readonly attemptsPerAddress: number;
  readonly windowSeconds: number;
  /**
   * Counters in Redis, shared by every replica; in this process when absent. Give it a client without
   * an offline queue, so that a command fails at once (and the in-process fallback counts) while
   * Redis is unreachable.
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

/** Emails are not written to Redis: the key is a digest. */
const accountKey = (email: string) => createHash("sha256").update(email).digest("base64url").slice(0, 22);

/** One IPv6 host usually owns a whole /64, so that is what one address budget covers. */
export function addressKey(address: string): string {
  if (!isIPv6(address)) return address;
  const [head = "", tail = ""] = address.split("::");
  const headGroups = head === "" ? [] : head.split(":");
  const tailGroups = address.includes("::") && tail !== "" ? tail.split(":") : [];
  const missing = 8 - headGroups.length - tailGroups.length;
  const groups = [...headGroups, ...Array<string>(Math.max(0, missing)).fill("0"), ...tailGroups];
  return `${groups
    .slice(0, 4)
    .map((group) => Number.parseInt(group, 16).toString(16))
    .join(":")}::/64`;
}

function limiter(options: LoginThrottleOptions, scope: string, points: number): RateLimiterAbstract {
  const settings = { keyPrefix: `login:${scope}`, points, duration: options.windowSeconds };
  if (!options.redis) return new RateLimiterMemory(settings);
  return new RateLimiterRedis({
    ...settings,
    storeClient: options.redis,
    // Redis failing: each replica keeps counting on its own rather than letting every attempt through.
    insuranceLimiter: new RateLimiterMemory(settings),
  });
}

function throttled(refusal: RateLimiterRes): ConnectError {
  const seconds = Math.max(1, Math.ceil(refusal.msBeforeNext / 1000));
  return new ConnectError(`too many sign-in attempts; retry in ${seconds} s`, Code.ResourceExhausted, {
    "retry-after": String(seconds),
  });
}

/** Per-account and per-address sign-in budgets (rate-limiter-flexible, fixed windows). */
export function createLoginThrottle(options: LoginThrottleOptions): LoginThrottle {
  const accounts = limiter(options, "account", options.attemptsPerAccount);
  const addresses = limiter(options, "address", options.attemptsPerAddress);
  const budgets = (email: string, address: string | undefined) => [
    { scope: "account" as const, limiter: accounts, key: accountKey(email) },
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
