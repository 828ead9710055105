import { generateKeyPairSync, type KeyObject, randomBytes } from "node:crypto";
import { once } from "node:events";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createServiceClient, type RunningService, startService } from "@bourse/common";
import { serviceCredentialInterceptor } from "@bourse/common/auth";
import { type LockService, MemoryLockService } from "@bourse/common/locks";
import type { Store } from "@bourse/common/storage";
import { inventoryService } from "@bourse/inventory";
import { AuthService } from "@bourse/proto/bourse/users/v1/auth_service_pb";
import { BalanceService } from "@bourse/proto/bourse/users/v1/balance_service_pb";
import { LedgerService } from "@bourse/proto/bourse/users/v1/ledger_service_pb";
import { UserService } from "@bourse/proto/bourse/users/v1/user_service_pb";
import type { Client } from "@connectrpc/connect";
import { createUsersService, type UsersOptions } from "../server.js";

/** A signed-up user, with call options that carry its access token. */
export interface TestUser {
  readonly userId: string;
  readonly email: string;
  readonly password: string;
  readonly refreshToken: string;
  readonly headers: { authorization: string };
}

/**
 * The users service and the real inventory service it asks about assets, on one store, with
 * clients. The signing key is known to the tests, so they can forge tokens with it.
 */
export interface UsersHarness {
  readonly users: RunningService;
  readonly inventory: RunningService;
  readonly auth: Client<typeof AuthService>;
  readonly profile: Client<typeof UserService>;
  readonly balances: Client<typeof BalanceService>;
  /** A LedgerService client presenting the service credential. */
  readonly ledger: Client<typeof LedgerService>;
  /** SERVICE_CREDENTIAL of this users service. */
  readonly serviceCredential: string;
  /** The lock service the users service checks fencing tokens with; tests claim markets on it. */
  readonly locks: LockService;
  readonly signingKey: { readonly kid: string; readonly privateKey: KeyObject };
  signUp(displayName?: string): Promise<TestUser>;
  stop(): Promise<void>;
}

const quiet = { BIND_HOST: "127.0.0.1", RPC_PORT: "0", ADMIN_PORT: "0", LOG_LEVEL: "silent" };
let signUps = 0;

/**
 * Inventory verifies tokens against the users JWKS and users asks inventory about assets, so one of
 * them must learn the other's address after it starts: inventory reads the users JWKS through this
 * relay, which forwards to the users admin port once users is up.
 */
async function startJwksRelay(): Promise<{ url: string; target(adminUrl: string): void; close(): void }> {
  let upstream: string | undefined;
  const server = createServer(async (_request, response) => {
    if (!upstream) {
      response.writeHead(503).end();
      return;
    }
    const answer = await fetch(`${upstream}/.well-known/jwks.json`);
    response.writeHead(answer.status, { "content-type": "application/json" }).end(await answer.text());
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`,
    target: (adminUrl) => {
      upstream = adminUrl;
    },
    close: () => server.close(),
  };
}

export async function startUsers(
  store: Store,
  options: {
    readonly env?: Record<string, string>;
    readonly users?: UsersOptions;
    /** Locks shared with the test (a Redis adapter, say); in-process by default. */
    readonly locks?: LockService;
  } = {},
): Promise<UsersHarness> {
  const { privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  const kid = "test-key";
  const pem = privateKey.export({ format: "pem", type: "pkcs8" }).toString();
  const serviceCredential = randomBytes(32).toString("base64url");
  const locks = options.locks ?? new MemoryLockService();
  const relay = await startJwksRelay();
  const inventory = await startService(inventoryService, {
    env: { ...quiet, COINGECKO_ENABLED: "false", AUTH_JWKS_URL: relay.url },
    store,
  });
  const users = await startService(createUsersService(options.users), {
    env: {
      ...quiet,
      INVENTORY_URL: inventory.rpcUrl,
      JWT_KEYS: JSON.stringify([{ kid, pem }]),
      SERVICE_CREDENTIAL: serviceCredential,
      ...options.env,
    },
    store,
    locks,
  });
  relay.target(users.adminUrl);
  const client = { baseUrl: users.rpcUrl, caller: "test" };
  const auth = createServiceClient(AuthService, client);
  return {
    users,
    inventory,
    auth,
    profile: createServiceClient(UserService, client),
    balances: createServiceClient(BalanceService, client),
    ledger: createServiceClient(LedgerService, {
      ...client,
      interceptors: [serviceCredentialInterceptor(serviceCredential)],
    }),
    serviceCredential,
    locks,
    signingKey: { kid, privateKey },
    async signUp(displayName = "Test User") {
      const email = `user${++signUps}-${randomBytes(4).toString("hex")}@example.com`;
      const password = `pw-${randomBytes(9).toString("base64url")}`;
      const { user, tokens } = await auth.register({ email, password, displayName });
      if (!user || !tokens) throw new Error("Register returned no user or tokens");
      return {
        userId: user.id,
        email,
        password,
        refreshToken: tokens.refreshToken,
        headers: { authorization: `Bearer ${tokens.accessToken}` },
      };
    },
    async stop() {
      await users.stop();
      await inventory.stop();
      if (!options.locks) await locks.close();
      relay.close();
    },
  };
}
