import {
  type Env,
  isProduction,
  loadConfig,
  millisecondsVar,
  optionalFlagVar,
  refuseInProduction,
} from "@bourse/common";
import { accessTokenAudience, defaultTokenIssuer, serviceCredentialVar } from "@bourse/common/auth";
import { z } from "zod";
import { defaultHashingConcurrency } from "./auth/bounded-hasher.js";
import { emailField } from "./domain/fields.js";

const DAY_SECONDS = 24 * 60 * 60;

/** The users service's own settings (the runtime's are read by the runtime). */
export const usersConfigSchema = z.object({
  /** `iss` and `aud` of the access tokens; every verifier reads the same two variables. */
  AUTH_ISSUER: z.string().min(1).default(defaultTokenIssuer),
  AUTH_AUDIENCE: z.string().min(1).default(accessTokenAudience),
  /** Access token lifetime: DESIGN §1 caps it at 15 minutes. */
  ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().min(30).max(900).default(900),
  REFRESH_TOKEN_TTL_SECONDS: z.coerce
    .number()
    .int()
    .min(300)
    .max(90 * DAY_SECONDS)
    .default(30 * DAY_SECONDS),
  /** A session's absolute lifetime from sign-in: refreshing never extends it past this. */
  SESSION_MAX_LIFETIME_SECONDS: z.coerce
    .number()
    .int()
    .min(300)
    .max(365 * DAY_SECONDS)
    .default(30 * DAY_SECONDS),
  /** How long a just-rotated refresh token still answers with the same new pair (double submits). */
  REFRESH_REUSE_INTERVAL_SECONDS: z.coerce.number().int().min(0).max(60).default(10),
  /**
   * Signing keys as JSON: an array of private JWKs (EC P-256 or Ed25519, each with a `kid`) or of
   * `{ "kid", "pem" }` with a PKCS#8 PEM. All are published in the JWKS. Unset: one P-256 key is
   * generated at startup, fine for one embedded process only.
   */
  JWT_KEYS: z.string().min(1).optional(),
  /** The `kid` that signs new tokens; the first key when unset. The others stay verifiable. */
  JWT_ACTIVE_KID: z.string().min(1).optional(),
  /**
   * An admin account created at start-up when no account has this email (see src/admin/startup-admin.ts),
   * with ADMIN_PASSWORD or the file ADMIN_PASSWORD_FILE. Registration never grants a role.
   */
  ADMIN_EMAIL: emailField.optional(),
  ADMIN_PASSWORD: z.string().min(1).optional(),
  ADMIN_PASSWORD_FILE: z.string().min(1).optional(),
  /**
   * Deposit and Withdraw move simulated money. Unset: on in development, off under
   * BOURSE_ENV=production, which refuses `true`.
   */
  SIMULATED_FUNDING: optionalFlagVar(),
  /** The inventory service, asked for asset precision; `npm start` runs it here. */
  INVENTORY_URL: z.url().default("http://127.0.0.1:50052"),
  ASSET_CACHE_TTL_MS: millisecondsVar(60_000),
  /** Most symbols the asset catalogue remembers; the least recently used go first. */
  ASSET_CACHE_MAX_ENTRIES: z.coerce.number().int().min(1).default(10_000),
  /** How long "no such asset" is remembered: short, so that a newly listed asset is usable soon. */
  ASSET_CACHE_UNKNOWN_TTL_MS: millisecondsVar(5_000),
  /** How long Deposit waits for the asset's reference USD price (recorded for the portfolio) before going on without it. */
  DEPOSIT_PRICE_TIMEOUT_MS: millisecondsVar(1_000),
  /**
   * argon2id hashes computed at once (sign-up, sign-in); by default one per core, at most half of
   * libuv's thread pool. 0 removes the bound, which only a benchmark of the old behaviour wants.
   */
  PASSWORD_HASH_CONCURRENCY: z.coerce.number().int().min(0).default(defaultHashingConcurrency),
  /** Hashes waiting for a slot; past that a sign-in is refused with resource_exhausted. */
  PASSWORD_HASH_QUEUE: z.coerce.number().int().min(0).default(32),
  /** Sign-in attempts per account per window; successes do not count. */
  LOGIN_ATTEMPTS_PER_ACCOUNT: z.coerce.number().int().min(1).default(10),
  /** Sign-in attempts per client address (an IPv6 /64) per window; successes do not count. */
  LOGIN_ATTEMPTS_PER_ADDRESS: z.coerce.number().int().min(1).default(100),
  LOGIN_THROTTLE_WINDOW_SECONDS: z.coerce.number().int().min(1).default(900),
  /**
   * Proxies in front of the gateway (an ingress) that append the address they saw to
   * `x-forwarded-for`. The header is read only on calls presenting the service credential (the
   * gateway's), past the gateway's own hop and these; any other call is its connection's peer. Never
   * set it higher than the proxies really there, or clients can choose their own address.
   */
  TRUSTED_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
  /**
   * The service credential that orders and matching present to call LedgerService (DESIGN §3.8), at
   * least 32 characters. Always required, loopback included: `npm start` generates one per run.
   */
  SERVICE_CREDENTIAL: serviceCredentialVar,
});

export type UsersConfig = Omit<z.infer<typeof usersConfigSchema>, "SIMULATED_FUNDING"> & {
  readonly SIMULATED_FUNDING: boolean;
};

/**
 * The users service's settings. Under `BOURSE_ENV=production` it refuses generated signing keys and
 * simulated funding; a missing SERVICE_CREDENTIAL is refused in every mode.
 */
export function loadUsersConfig(env: Env): UsersConfig {
  const config = loadConfig("users", usersConfigSchema, env);
  refuseInProduction("users", env, [
    {
      setting: "JWT_KEYS",
      refused: config.JWT_KEYS === undefined,
      reason: "unset, so each replica would sign with its own generated key; set the shared signing keys",
    },
    {
      setting: "SIMULATED_FUNDING",
      refused: config.SIMULATED_FUNDING === true,
      reason: "Deposit and Withdraw would create money from nothing; unset it or set it to false",
    },
  ]);
  return { ...config, SIMULATED_FUNDING: config.SIMULATED_FUNDING ?? !isProduction("users", env) };
}
