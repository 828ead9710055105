import {
  type Env,
  flagVar,
  isProduction,
  loadConfig,
  millisecondsVar,
  refuseInProduction,
} from "@bourse/common";
import { MARKET_SYMBOL } from "@bourse/common/identifiers";
import { z } from "zod";

const positiveDecimal = z
  .string()
  .regex(/^(0|[1-9][0-9]{0,14})(\.[0-9]{1,18})?$/, "must be a plain decimal string, e.g. 250")
  .refine((text) => /[1-9]/.test(text), "must be positive");

const marketList = z
  .string()
  .transform((text) =>
    text
      .split(",")
      .map((symbol) => symbol.trim().toUpperCase())
      .filter((symbol) => symbol.length > 0),
  )
  .pipe(z.array(z.string().regex(MARKET_SYMBOL, "must list markets as BASE-QUOTE, e.g. BTC-USD")).min(1));

const basisPoints = (fallback: number, min: number) =>
  z.coerce.number().int().min(min).max(5_000).default(fallback);

export const marketMakerConfigSchema = z
  .object({
    /** `false` keeps the service up (health, metrics) without quoting. */
    MARKETMAKER_ENABLED: flagVar(true),
    /** The market maker's own account, registered on first start and signed into afterwards. */
    MARKETMAKER_EMAIL: z.email("must be an email address").default("market-maker@bourse.local"),
    /** Required in production; in development a password is generated for each run. */
    MARKETMAKER_PASSWORD: z.string().min(10).max(128).optional(),
    MARKETMAKER_MARKETS: marketList.default(["BTC-USD", "ETH-USD", "SOL-USD"]),
    MARKETMAKER_LEVELS: z.coerce.number().int().min(1).max(50).default(5),
    MARKETMAKER_SPREAD_BPS: basisPoints(10, 1),
    MARKETMAKER_STEP_BPS: basisPoints(10, 0),
    /** How far an open quote may drift from its level's price before it is replaced. */
    MARKETMAKER_REPRICE_BPS: basisPoints(5, 0),
    /** Quote value of each level, in the market's quote asset. */
    MARKETMAKER_LEVEL_NOTIONAL: positiveDecimal.default("250"),
    MARKETMAKER_REFRESH_MS: millisecondsVar(2_000).pipe(z.number().min(100)),
    /** Longest wait between attempts while a service it needs is unavailable. */
    MARKETMAKER_MAX_BACKOFF_MS: millisecondsVar(30_000).pipe(z.number().min(100)),
    USERS_URL: z.url().default("http://127.0.0.1:50051"),
    INVENTORY_URL: z.url().default("http://127.0.0.1:50052"),
    ORDERS_URL: z.url().default("http://127.0.0.1:50053"),
  })
  .refine(
    (config) =>
      config.MARKETMAKER_SPREAD_BPS + (config.MARKETMAKER_LEVELS - 1) * config.MARKETMAKER_STEP_BPS < 10_000,
    {
      path: ["MARKETMAKER_STEP_BPS"],
      message:
        "the deepest bid would be at or below zero: spread + (levels − 1) × step must stay under 10000 bps",
    },
  );

export type MarketMakerConfig = Omit<z.infer<typeof marketMakerConfigSchema>, "MARKETMAKER_PASSWORD"> & {
  readonly MARKETMAKER_PASSWORD: string;
  /** True when the password was generated for this run (development only). */
  readonly generatedPassword: boolean;
  /** Deposit simulated funds: development only; production trades what the account has. */
  readonly funding: boolean;
};

/**
 * The market maker's settings. Production refuses a missing password (a generated one would lock the
 * account out after a restart) unless the market maker is off.
 */
export function loadMarketMakerConfig(env: Env, generatePassword: () => string): MarketMakerConfig {
  const config = loadConfig("marketmaker", marketMakerConfigSchema, env);
  refuseInProduction("marketmaker", env, [
    {
      setting: "MARKETMAKER_PASSWORD",
      refused: config.MARKETMAKER_ENABLED && config.MARKETMAKER_PASSWORD === undefined,
      reason:
        "unset, so each start would generate a new one and be locked out of its account; set it from a secret",
    },
  ]);
  const production = isProduction("marketmaker", env);
  return {
    ...config,
    MARKETMAKER_PASSWORD: config.MARKETMAKER_PASSWORD ?? generatePassword(),
    generatedPassword: config.MARKETMAKER_PASSWORD === undefined,
    funding: !production,
  };
}
