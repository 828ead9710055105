import { type Env, loadConfig } from "@bourse/common";
import { z } from "zod";

const pointsVar = (fallback: number) => z.coerce.number().int().min(1).default(fallback);
const secondsVar = (fallback: number) => z.coerce.number().int().min(1).max(86_400).default(fallback);

/** The gateway's rate limits; see "Rate limits" in gateway/README.md. */
export const rateLimitConfigSchema = z.object({
  /** Points (see `methodCost`) a client address (an IPv6 /64) may spend per window. */
  GATEWAY_RATE_POINTS_PER_ADDRESS: pointsVar(200),
  /** Points a signed-in user may spend per window, over all their addresses and connections. */
  GATEWAY_RATE_POINTS_PER_USER: pointsVar(100),
  GATEWAY_RATE_WINDOW_SECONDS: secondsVar(1),
  /** Login calls per client address per login window. */
  GATEWAY_LOGIN_ATTEMPTS_PER_ADDRESS: pointsVar(20),
  /** Login calls per email (known or not) per login window. */
  GATEWAY_LOGIN_ATTEMPTS_PER_EMAIL: pointsVar(5),
  GATEWAY_LOGIN_WINDOW_SECONDS: secondsVar(60),
  /** Counters shared by every gateway replica; in-process when unset. */
  REDIS_URL: z.url().optional(),
});

export type RateLimitConfig = z.infer<typeof rateLimitConfigSchema>;

export const loadRateLimitConfig = (env: Env): RateLimitConfig =>
  loadConfig("gateway", rateLimitConfigSchema, env);
