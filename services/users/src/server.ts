import { createServiceClient, loadInfrastructureConfig, type ServiceDefinition } from "@bourse/common";
import {
  createAuthenticator,
  createTokenVerifier,
  serviceCredentialCheck,
  serviceCredentialGuard,
} from "@bourse/common/auth";
import { createUlidFactory } from "@bourse/common/identifiers";
import { limiterRedis } from "@bourse/common/rate-limits";
import { createLedger } from "@bourse/ledger";
import { InventoryService } from "@bourse/proto/bourse/inventory/v1/inventory_service_pb";
import { AuthService } from "@bourse/proto/bourse/users/v1/auth_service_pb";
import { BalanceService } from "@bourse/proto/bourse/users/v1/balance_service_pb";
import { LedgerService } from "@bourse/proto/bourse/users/v1/ledger_service_pb";
import { UserService } from "@bourse/proto/bourse/users/v1/user_service_pb";
import { adminCredentialsOf, ensureStartupAdmin } from "./admin/startup-admin.js";
import { authHandlers } from "./api/auth-handlers.js";
import { balanceHandlers } from "./api/balance-handlers.js";
import { ledgerHandlers } from "./api/ledger-handlers.js";
import { userHandlers } from "./api/user-handlers.js";
import { createAccessTokenIssuer } from "./auth/access-tokens.js";
import { createAuthFlows } from "./auth/auth-flows.js";
import { boundedHasher } from "./auth/bounded-hasher.js";
import { createLoginThrottle } from "./auth/login-throttle.js";
import { createArgon2Hasher, dummyPasswordHash, type PasswordHasher } from "./auth/password-hasher.js";
import { generatedKeyRing, keyRingFromConfig } from "./auth/signing-keys.js";
import { createAssetCatalog } from "./catalog/asset-catalog.js";
import { createReferencePrices } from "./catalog/reference-prices.js";
import { loadUsersConfig } from "./config.js";
import { createUsersMetrics } from "./metrics.js";
import { SessionStore } from "./store/session-store.js";
import { UserStore } from "./store/user-store.js";

export interface UsersOptions {
  /** The clock; tests pass their own. */
  readonly now?: () => Date;
  /** The password hasher; argon2id with `argon2Parameters` by default. */
  readonly hasher?: PasswordHasher;
}

/**
 * The users service: accounts and tokens (AuthService, UserService), the caller's balances and
 * simulated funding (BalanceService), and the internal LedgerService. Publishes its signing keys as
 * a JWKS on the admin port, and verifies its own tokens with the shared verifier against them.
 */
export function createUsersService(options: UsersOptions = {}): ServiceDefinition {
  const now = options.now ?? (() => new Date());
  return {
    name: "users",
    async setup(context) {
      const config = loadUsersConfig(context.env);
      const keys = config.JWT_KEYS
        ? keyRingFromConfig(config.JWT_KEYS, config.JWT_ACTIVE_KID)
        : generatedKeyRing();
      context.admin.add("/.well-known/jwks.json", (_request, response) => {
        response.writeHead(200, {
          "content-type": "application/jwk-set+json",
          "cache-control": "max-age=300",
        });
        response.end(JSON.stringify(keys.jwks));
      });

      const users = new UserStore(context.store);
      const metrics = createUsersMetrics(context.metrics.registry);
      const argon2 = options.hasher ?? createArgon2Hasher();
      const hasher =
        config.PASSWORD_HASH_CONCURRENCY === 0
          ? argon2
          : boundedHasher(
              argon2,
              { concurrency: config.PASSWORD_HASH_CONCURRENCY, queue: config.PASSWORD_HASH_QUEUE },
              () => metrics.signInRefused("hashing"),
            );
      const { REDIS_URL } = loadInfrastructureConfig("users", context.env);
      // While Redis is unreachable the throttle counts in-process, so sign-in never waits for Redis.
      const redis = REDIS_URL ? limiterRedis(REDIS_URL, context.logger, "login throttle") : undefined;
      const newId = createUlidFactory();
      const flows = createAuthFlows({
        users,
        sessions: new SessionStore(context.store),
        hasher,
        dummyHash: await dummyPasswordHash(hasher),
        accessTokens: createAccessTokenIssuer({
          keys,
          issuer: config.AUTH_ISSUER,
          audience: config.AUTH_AUDIENCE,
          ttlSeconds: config.ACCESS_TOKEN_TTL_SECONDS,
          now,
        }),
        refreshTtlSeconds: config.REFRESH_TOKEN_TTL_SECONDS,
        sessionMaxLifetimeSeconds: config.SESSION_MAX_LIFETIME_SECONDS,
        reuseIntervalSeconds: config.REFRESH_REUSE_INTERVAL_SECONDS,
        now,
        newId: () => newId(now().getTime()),
        onEvent: metrics.authEvent,
        loginThrottle: createLoginThrottle({
          attemptsPerAccount: config.LOGIN_ATTEMPTS_PER_ACCOUNT,
          attemptsPerAddress: config.LOGIN_ATTEMPTS_PER_ADDRESS,
          windowSeconds: config.LOGIN_THROTTLE_WINDOW_SECONDS,
          redis,
          onThrottled: metrics.signInRefused,
        }),
      });
      const adminCredentials = adminCredentialsOf(config);
      if (adminCredentials) {
        await ensureStartupAdmin(
          { users, hasher, newId: () => newId(now().getTime()), now, logger: context.logger },
          adminCredentials,
        );
      }

      const auth = createAuthenticator(
        createTokenVerifier({ jwks: keys.jwks, issuer: config.AUTH_ISSUER, audience: config.AUTH_AUDIENCE }),
      );
      const ledger = createLedger(context.store, { now });
      const inventory = createServiceClient(InventoryService, {
        baseUrl: config.INVENTORY_URL,
        caller: "users",
        metrics: context.metrics.rpc,
        logger: context.logger,
      });
      const catalog = createAssetCatalog(inventory, {
        ttlMs: config.ASSET_CACHE_TTL_MS,
        unknownTtlMs: config.ASSET_CACHE_UNKNOWN_TTL_MS,
        maxEntries: config.ASSET_CACHE_MAX_ENTRIES,
      });

      return {
        embedded: [
          ...(config.JWT_KEYS ? [] : ["generated signing keys (they die with this process)"]),
          ...(config.SIMULATED_FUNDING ? ["simulated funding"] : []),
        ],
        async stop() {
          redis?.disconnect();
        },
        register(router) {
          router.service(
            AuthService,
            authHandlers(flows, {
              presentsServiceCredential: serviceCredentialCheck(config.SERVICE_CREDENTIAL),
              trustedProxyHops: config.TRUSTED_PROXY_HOPS,
            }),
          );
          router.service(UserService, userHandlers({ auth, users, now }));
          router.service(
            BalanceService,
            balanceHandlers({
              auth,
              store: context.store,
              ledger,
              catalog,
              prices: createReferencePrices(inventory, {
                timeoutMs: config.DEPOSIT_PRICE_TIMEOUT_MS,
                logger: context.logger,
              }),
              simulatedFunding: config.SIMULATED_FUNDING,
            }),
          );
          router.service(
            LedgerService,
            ledgerHandlers({
              ledger,
              users,
              locks: context.locks,
              admit: serviceCredentialGuard(config.SERVICE_CREDENTIAL),
            }),
          );
        },
      };
    },
  };
}

export const usersService: ServiceDefinition = createUsersService();
