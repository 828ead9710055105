/**
 * The black-box client of issue #8: it starts the real `npm start` as a child process, once with its
 * defaults and once with every port moved, and checks the exchange from outside, only over the
 * network, with the generated Connect clients: sign-up and tokens, the JWT attacks of DESIGN §3.7,
 * isolation, funding (idempotent and concurrent), bad amounts, the admin rules and LedgerService's
 * credential and fence.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createDynamoDbClient, ensureTable } from "@bourse/common/storage";
import { rpcError } from "@bourse/common/testing";
import { InventoryService } from "@bourse/proto/bourse/inventory/v1/inventory_service_pb";
import { MarketStatus } from "@bourse/proto/bourse/inventory/v1/market_pb";
import { OrderService } from "@bourse/proto/bourse/orders/v1/order_service_pb";
import { AuthService } from "@bourse/proto/bourse/users/v1/auth_service_pb";
import { BalanceService } from "@bourse/proto/bourse/users/v1/balance_service_pb";
import { LedgerService } from "@bourse/proto/bourse/users/v1/ledger_service_pb";
import { Role } from "@bourse/proto/bourse/users/v1/user_pb";
import { UserService } from "@bourse/proto/bourse/users/v1/user_service_pb";
import { timestampNow } from "@bufbuild/protobuf/wkt";
import { type Client, Code, ConnectError, createClient, type Transport } from "@connectrpc/connect";
import { createConnectTransport, createGrpcTransport } from "@connectrpc/connect-node";
import { type CryptoKey, exportJWK, generateKeyPair, type JWK } from "jose";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { placeOrderRequest } from "../order-flow/support/trader.js";
import { connectJsonCall } from "./connect-json.js";
import {
  type ExchangeEndpoints,
  freePorts,
  type RunningExchange,
  startExchange,
} from "./exchange-process.js";
import { type ForgedToken, forgeTokens, validToken, wrongClaims } from "./forged-tokens.js";

/** Codes that say "your request was wrong", as opposed to a server fault. */
const clientCodes = [
  Code.InvalidArgument,
  Code.FailedPrecondition,
  Code.NotFound,
  Code.OutOfRange,
  Code.AlreadyExists,
];

const BOOTSTRAP_EMAIL = "boss@bourse.example";
const PASSWORD = "a quiet harbour at dawn 42";

/** Both runs keep CoinGecko off: the test sends nothing beyond this machine. */
const quiet = { LOG_LEVEL: "warn", COINGECKO_ENABLED: "false", BOOTSTRAP_ADMIN_EMAIL: BOOTSTRAP_EMAIL };

interface RunPlan {
  readonly env: Record<string, string>;
  /** Where the services must listen. */
  readonly expected: ExchangeEndpoints;
  /** Set when the test chose the credential, so it can call LedgerService as a service would. */
  readonly credential?: string;
  /** Set when the test chose the signing key, so it can sign tokens whose only fault is a claim. */
  readonly signingKey?: { readonly kid: string; readonly privateKey: CryptoKey };
}

const onLoopback = (rpc: number, admin: number) => ({
  rpc: `http://127.0.0.1:${rpc}`,
  admin: `http://127.0.0.1:${admin}`,
});

async function defaultsPlan(): Promise<RunPlan> {
  const users = onLoopback(50051, 9101);
  const inventory = onLoopback(50052, 9102);
  return {
    env: quiet,
    expected: {
      usersRpc: users.rpc,
      usersAdmin: users.admin,
      inventoryRpc: inventory.rpc,
      inventoryAdmin: inventory.admin,
      gatewayHttp: "http://127.0.0.1:8080",
    },
  };
}

async function movedPlan(): Promise<RunPlan> {
  const [
    usersRpc,
    usersAdmin,
    inventoryRpc,
    inventoryAdmin,
    ordersRpc,
    ordersAdmin,
    matchingRpc,
    matchingAdmin,
    marketMakerRpc,
    marketMakerAdmin,
    gatewayHttp,
    gatewayGrpc,
    gatewayAdmin,
  ] = await freePorts(13);
  const { privateKey } = await generateKeyPair("ES256", { extractable: true });
  const kid = "blackbox-1";
  const credential = "blackbox-service-credential-0123456789abcdef";
  return {
    env: {
      ...quiet,
      USERS_RPC_PORT: String(usersRpc),
      USERS_ADMIN_PORT: String(usersAdmin),
      INVENTORY_RPC_PORT: String(inventoryRpc),
      INVENTORY_ADMIN_PORT: String(inventoryAdmin),
      ORDERS_RPC_PORT: String(ordersRpc),
      ORDERS_ADMIN_PORT: String(ordersAdmin),
      MATCHING_RPC_PORT: String(matchingRpc),
      MATCHING_ADMIN_PORT: String(matchingAdmin),
      MARKETMAKER_RPC_PORT: String(marketMakerRpc),
      MARKETMAKER_ADMIN_PORT: String(marketMakerAdmin),
      GATEWAY_HTTP_PORT: String(gatewayHttp),
      GATEWAY_GRPC_PORT: String(gatewayGrpc),
      GATEWAY_ADMIN_PORT: String(gatewayAdmin),
      JWT_KEYS: JSON.stringify([{ ...(await exportJWK(privateKey)), kid }]),
      SERVICE_CREDENTIAL: credential,
    },
    expected: {
      usersRpc: `http://127.0.0.1:${usersRpc}`,
      usersAdmin: `http://127.0.0.1:${usersAdmin}`,
      inventoryRpc: `http://127.0.0.1:${inventoryRpc}`,
      inventoryAdmin: `http://127.0.0.1:${inventoryAdmin}`,
      gatewayHttp: `http://127.0.0.1:${gatewayHttp}`,
    },
    credential,
    signingKey: { kid, privateKey },
  };
}

const bearer = (token: string) => ({ headers: { authorization: `Bearer ${token}` } });

/** Every port npm start opens, at 0: each picks a free port. */
const everyPortZero = Object.fromEntries([
  ...["USERS", "INVENTORY", "ORDERS", "MATCHING", "MARKETMAKER"].flatMap((service) => [
    [`${service}_RPC_PORT`, "0"],
    [`${service}_ADMIN_PORT`, "0"],
  ]),
  ["GATEWAY_HTTP_PORT", "0"],
  ["GATEWAY_GRPC_PORT", "0"],
  ["GATEWAY_ADMIN_PORT", "0"],
]);

/** A local server standing in for an attacker's key host: jku and x5u headers point here. */
let trap: Server;
let trapRequests = 0;

beforeAll(async () => {
  trap = createServer((_request, response) => {
    trapRequests++;
    response.writeHead(404).end();
  }).listen(0, "127.0.0.1");
  await new Promise((resolve) => trap.once("listening", resolve));
});

afterAll(() => new Promise((resolve) => trap.close(resolve)));

describe.each([
  { name: "npm start with its defaults", plan: defaultsPlan },
  { name: "npm start with every port moved", plan: movedPlan },
])("$name", ({ plan }) => {
  let run: RunPlan;
  let exchange: RunningExchange;
  let auth: Client<typeof AuthService>;
  let profile: Client<typeof UserService>;
  let balances: Client<typeof BalanceService>;
  let ledger: Client<typeof LedgerService>;
  let inventory: Client<typeof InventoryService>;
  let connectUsers: Transport;
  let endpoints: ExchangeEndpoints;

  interface Customer {
    readonly id: string;
    readonly accessToken: string;
    readonly refreshToken: string;
  }
  let alice: Customer;
  let bob: Customer;
  let boss: Customer;

  const register = async (email: string): Promise<Customer> => {
    const { user, tokens } = await auth.register({
      email,
      password: PASSWORD,
      displayName: email.split("@")[0],
    });
    return {
      id: user?.id ?? "",
      accessToken: tokens?.accessToken ?? "",
      refreshToken: tokens?.refreshToken ?? "",
    };
  };

  beforeAll(async () => {
    run = await plan();
    exchange = await startExchange(run.env);
    endpoints = exchange.endpoints;
    connectUsers = createConnectTransport({ baseUrl: endpoints.usersRpc, httpVersion: "2" });
    const grpcUsers = createGrpcTransport({ baseUrl: endpoints.usersRpc });
    auth = createClient(AuthService, connectUsers);
    profile = createClient(UserService, connectUsers);
    balances = createClient(BalanceService, grpcUsers);
    ledger = createClient(LedgerService, grpcUsers);
    inventory = createClient(InventoryService, createGrpcTransport({ baseUrl: endpoints.inventoryRpc }));
    alice = await register("alice@bourse.example");
    bob = await register("bob@bourse.example");
    boss = await register(BOOTSTRAP_EMAIL);
  }, 120_000);

  afterAll(() => exchange?.stop());

  it("listens on the ports it was given, and reports them", () => {
    expect(endpoints).toEqual(run.expected);
  });

  it("answers Connect calls through the gateway, and never reaches an internal service there", async () => {
    const gateway = createConnectTransport({ baseUrl: endpoints.gatewayHttp, httpVersion: "1.1" });
    const { markets } = await createClient(InventoryService, gateway).listMarkets({});
    expect(markets.length).toBeGreaterThan(0);
    const me = await createClient(UserService, gateway).getMe({}, bearer(alice.accessToken));
    expect(me.user?.id).toBe(alice.id);
    expect(Code[(await rpcError(createClient(UserService, gateway).getMe({}))).code]).toBe("Unauthenticated");
    const internal = await rpcError(
      createClient(LedgerService, gateway).hold({
        accountId: alice.id,
        asset: "USD",
        amount: "1",
        referenceId: "g",
      }),
    );
    expect(Code[internal.code]).toBe("Unimplemented");
  });

  it.runIf(plan === movedPlan)("never prints the service credential", async () => {
    // One failed credential check, so that the services have had a reason to mention it.
    await rpcError(
      ledger.hold(
        { accountId: "x", asset: "USD", amount: "1", referenceId: "x" },
        {
          headers: { "x-bourse-service-credential": "wrong-but-long-enough-0123456789abcdef" },
        },
      ),
    );
    expect(exchange.output()).not.toContain(run.credential);
  });

  describe("accounts and tokens", () => {
    it("registers, logs in, refreshes with rotation, and logs out", async () => {
      const login = await auth.login({ email: "alice@bourse.example", password: PASSWORD });
      expect(login.user?.id).toBe(alice.id);
      const me = await profile.getMe({}, bearer(login.tokens?.accessToken ?? ""));
      expect(me.user).toMatchObject({ id: alice.id, email: "alice@bourse.example", role: Role.CUSTOMER });

      const refreshed = await auth.refresh({ refreshToken: login.tokens?.refreshToken ?? "" });
      expect(refreshed.tokens?.refreshToken).not.toBe(login.tokens?.refreshToken);
      expect((await profile.getMe({}, bearer(refreshed.tokens?.accessToken ?? ""))).user?.id).toBe(alice.id);

      await auth.logout({ refreshToken: refreshed.tokens?.refreshToken ?? "" });
      const afterLogout = await rpcError(
        auth.refresh({ refreshToken: refreshed.tokens?.refreshToken ?? "" }),
      );
      expect(afterLogout.code).toBe(Code.Unauthenticated);
    });

    it("refuses a wrong password without saying whether the account exists", async () => {
      const wrong = await rpcError(auth.login({ email: "alice@bourse.example", password: `${PASSWORD}!` }));
      const unknown = await rpcError(auth.login({ email: "nobody@bourse.example", password: PASSWORD }));
      expect(wrong.code).toBe(Code.Unauthenticated);
      expect(unknown.code).toBe(wrong.code);
      expect(unknown.rawMessage).toBe(wrong.rawMessage);
    });
  });

  describe("forged and misused access tokens (DESIGN §3.7)", () => {
    let forged: ForgedToken[];

    beforeAll(async () => {
      const jwks = (await (await fetch(`${endpoints.usersAdmin}/.well-known/jwks.json`)).json()) as {
        keys: JWK[];
      };
      const ourPublicJwk = jwks.keys[0] as JWK;
      forged = await forgeTokens({
        ourKid: ourPublicJwk.kid ?? "",
        ourPublicJwk,
        victimToken: alice.accessToken,
        otherUserId: bob.id,
        refreshToken: alice.refreshToken,
        trapUrl: `http://127.0.0.1:${(trap.address() as AddressInfo).port}`,
      });
      if (run.signingKey) {
        const { kid, privateKey } = run.signingKey;
        forged.push(
          ...(await wrongClaims(privateKey, kid, alice.id)).map(({ name, token }) => ({
            name: `${name}, signed by the service's own key`,
            token,
          })),
        );
      }
    });

    it("refuses a call with no token, or with another scheme", async () => {
      expect((await rpcError(profile.getMe({}))).code).toBe(Code.Unauthenticated);
      const basic = { headers: { authorization: `Basic ${Buffer.from("alice:pw").toString("base64")}` } };
      expect((await rpcError(balances.getBalances({}, basic))).code).toBe(Code.Unauthenticated);
    });

    it("refuses every forged or misused token on the users service, with no data", async () => {
      const outcomes = await Promise.all(
        forged.map(async ({ name, token }) => {
          const me = await rpcError(profile.getMe({}, bearer(token)));
          const money = await rpcError(balances.getBalances({}, bearer(token)));
          return { name, getMe: Code[me.code], getBalances: Code[money.code] };
        }),
      );
      expect(outcomes).toEqual(
        forged.map(({ name }) => ({ name, getMe: "Unauthenticated", getBalances: "Unauthenticated" })),
      );
    });

    it("refuses every forged or misused token on the inventory service's admin RPC, and halts nothing", async () => {
      const outcomes = await Promise.all(
        forged.map(async ({ name, token }) => {
          const halt = await rpcError(
            inventory.setMarketStatus(
              { symbol: "BTC-USD", status: MarketStatus.HALTED, reason: "forged" },
              bearer(token),
            ),
          );
          return { name, setMarketStatus: Code[halt.code] };
        }),
      );
      expect(outcomes).toEqual(forged.map(({ name }) => ({ name, setMarketStatus: "Unauthenticated" })));
      expect((await inventory.getMarket({ symbol: "BTC-USD" })).market?.status).toBe(MarketStatus.ACTIVE);
    });

    it("never fetches a key from a jku or x5u header", () => {
      expect(trapRequests).toBe(0);
    });

    it.runIf(plan === movedPlan)(
      "accepts a token of the configured key: the refusals above were for their faults",
      async () => {
        const { kid, privateKey } = run.signingKey ?? { kid: "", privateKey: undefined as never };
        const token = await validToken(privateKey, kid, alice.id);
        expect((await profile.getMe({}, bearer(token))).user?.id).toBe(alice.id);
      },
    );
  });

  describe("isolation", () => {
    it("shows each customer only their own balances and ledger, whatever ids the request carries", async () => {
      await balances.deposit(
        { asset: "USD", amount: "7", idempotencyKey: "iso-alice" },
        bearer(alice.accessToken),
      );
      const mine = await balances.getBalances({}, bearer(bob.accessToken));
      expect(
        mine.balances.find((balance) => balance.asset === "USD" && balance.available === "7"),
      ).toBeUndefined();
      const bobsEntries = await balances.listLedgerEntries({ asset: "USD" }, bearer(bob.accessToken));
      expect(bobsEntries.entries.every((entry) => entry.accountId === bob.id)).toBe(true);

      // No request field names a user: fields that look like one are refused or ignored.
      for (const field of ["userId", "user_id", "accountId", "account_id", "sub"]) {
        const { status, text } = await connectJsonCall(
          endpoints.usersRpc,
          "/bourse.users.v1.BalanceService/GetBalances",
          { [field]: alice.id },
          { authorization: `Bearer ${bob.accessToken}` },
        );
        expect(status === 200 || status === 400).toBe(true);
        expect(text).not.toContain('"available":"7"');
      }
      const raw = createClient(BalanceService, connectUsers);
      const aliceByHeader = await raw.getBalances(
        {},
        {
          headers: { authorization: `Bearer ${bob.accessToken}`, "x-user-id": alice.id },
        },
      );
      expect(aliceByHeader.balances.some((balance) => balance.available === "7")).toBe(false);
    });

    it("does not open another customer's ledger with their page token", async () => {
      await balances.deposit(
        { asset: "USD", amount: "1", idempotencyKey: "iso-alice-2" },
        bearer(alice.accessToken),
      );
      const page = await balances.listLedgerEntries({ asset: "USD", pageSize: 1 }, bearer(alice.accessToken));
      expect(page.nextPageToken).not.toBe("");
      const reused = await balances
        .listLedgerEntries(
          { asset: "USD", pageSize: 10, pageToken: page.nextPageToken },
          bearer(bob.accessToken),
        )
        .catch((error: unknown) => ConnectError.from(error));
      if (reused instanceof ConnectError) expect(clientCodes).toContain(reused.code);
      else expect(reused.entries.every((entry) => entry.accountId === bob.id)).toBe(true);
    });
  });

  describe("funding", () => {
    const usd = async (customer: Customer) =>
      (await balances.getBalances({ assets: ["USD"] }, bearer(customer.accessToken))).balances[0]
        ?.available ?? "0";
    const entryCount = async (customer: Customer) => {
      let count = 0;
      let pageToken = "";
      do {
        const page = await balances.listLedgerEntries(
          { asset: "USD", pageSize: 100, pageToken },
          bearer(customer.accessToken),
        );
        count += page.entries.length;
        pageToken = page.nextPageToken;
      } while (pageToken !== "");
      return count;
    };

    it("moves money once per idempotency key, and refuses the key with another amount", async () => {
      const carol = await register("carol@bourse.example");
      const first = await balances.deposit(
        { asset: "USD", amount: "100", idempotencyKey: "k-1" },
        bearer(carol.accessToken),
      );
      const again = await balances.deposit(
        { asset: "USD", amount: "100", idempotencyKey: "k-1" },
        bearer(carol.accessToken),
      );
      expect(again.entry?.id).toBe(first.entry?.id);
      const conflict = await rpcError(
        balances.deposit({ asset: "USD", amount: "101", idempotencyKey: "k-1" }, bearer(carol.accessToken)),
      );
      expect(Code[conflict.code]).toBe("AlreadyExists");

      const out = await balances.withdraw(
        { asset: "USD", amount: "30", idempotencyKey: "w-1" },
        bearer(carol.accessToken),
      );
      const outAgain = await balances.withdraw(
        { asset: "USD", amount: "30", idempotencyKey: "w-1" },
        bearer(carol.accessToken),
      );
      expect(outAgain.entry?.id).toBe(out.entry?.id);
      expect(await usd(carol)).toBe("70");
      expect(await entryCount(carol)).toBe(2);
    });

    it("keeps the balance exact under concurrent deposits and withdrawals, never overdrawn", async () => {
      const dave = await register("dave@bourse.example");
      await balances.deposit({ asset: "USD", amount: "5", idempotencyKey: "seed" }, bearer(dave.accessToken));
      const calls = [
        ...Array.from({ length: 10 }, (_, index) => ({ kind: "deposit" as const, key: `d-${index}` })),
        ...Array.from({ length: 20 }, (_, index) => ({ kind: "withdraw" as const, key: `w-${index}` })),
      ];
      const results = await Promise.all(
        calls.map(async ({ kind, key }) => {
          const request = { asset: "USD", amount: "1", idempotencyKey: key };
          try {
            await (kind === "deposit"
              ? balances.deposit(request, bearer(dave.accessToken))
              : balances.withdraw(request, bearer(dave.accessToken)));
            return { kind, code: "ok" };
          } catch (error) {
            return { kind, code: Code[ConnectError.from(error).code] };
          }
        }),
      );
      const succeeded = (kind: string) =>
        results.filter((result) => result.kind === kind && result.code === "ok").length;
      const failures = results.filter((result) => result.code !== "ok").map((result) => result.code);
      expect(failures.every((code) => code === "FailedPrecondition" || code === "Aborted")).toBe(true);
      expect(succeeded("deposit")).toBe(10);
      const balance = 5 + succeeded("deposit") - succeeded("withdraw");
      expect(balance).toBeGreaterThanOrEqual(0);
      expect(succeeded("withdraw")).toBeLessThanOrEqual(15);
      expect(await usd(dave)).toBe(String(balance));
      expect(await entryCount(dave)).toBe(1 + succeeded("deposit") + succeeded("withdraw"));
    });

    it("refuses bad amounts and unknown assets with a client error, and changes nothing", async () => {
      const erin = await register("erin@bourse.example");
      await balances.deposit(
        { asset: "USD", amount: "50", idempotencyKey: "seed" },
        bearer(erin.accessToken),
      );
      const bad: Array<[string, string]> = [
        ["USD", `1${"0".repeat(61)}`],
        ["USD", `1${"0".repeat(30)}`],
        ["USD", "-5"],
        ["USD", "1e5"],
        ["USD", "0"],
        ["USD", "0.000000001"],
        ["USD", "1.5.0"],
        ["USD", ""],
        ["USD", " 1"],
        ["USD", "NaN"],
        ["USD", "Infinity"],
        ["USD", "0x10"],
        ["NOPE", "1"],
        ["usd", "1"],
      ];
      const outcomes = await Promise.all(
        bad.flatMap(([asset, amount], index) =>
          (["deposit", "withdraw"] as const).map(async (kind) => {
            const request = { asset, amount, idempotencyKey: `bad-${kind}-${index}` };
            const error = await rpcError(
              kind === "deposit"
                ? balances.deposit(request, bearer(erin.accessToken))
                : balances.withdraw(request, bearer(erin.accessToken)),
            );
            return {
              kind,
              asset,
              amount,
              clientError: clientCodes.includes(error.code),
              code: Code[error.code],
            };
          }),
        ),
      );
      expect(outcomes.filter((outcome) => !outcome.clientError)).toEqual([]);
      expect(await usd(erin)).toBe("50");
      expect(await entryCount(erin)).toBe(1);
    });
  });

  describe("admin rules", () => {
    it("never makes a registered account an admin, whatever its email", async () => {
      const me = await profile.getMe({}, bearer(boss.accessToken));
      expect(me.user?.role).toBe(Role.CUSTOMER);
      const claims = JSON.parse(Buffer.from(boss.accessToken.split(".")[1] ?? "", "base64url").toString());
      expect(claims.role).toBe("customer");
    });

    it("answers permission_denied to a customer calling an admin RPC, and changes nothing", async () => {
      for (const customer of [boss, alice]) {
        const halt = await rpcError(
          inventory.setMarketStatus(
            { symbol: "BTC-USD", status: MarketStatus.HALTED, reason: "mine now" },
            bearer(customer.accessToken),
          ),
        );
        expect(Code[halt.code]).toBe("PermissionDenied");
        const create = await rpcError(
          inventory.createAsset(
            { asset: { symbol: "PWN", name: "Pwned", precision: 8, active: true } },
            bearer(customer.accessToken),
          ),
        );
        expect(Code[create.code]).toBe("PermissionDenied");
      }
      expect((await inventory.getMarket({ symbol: "BTC-USD" })).market?.status).toBe(MarketStatus.ACTIVE);
      expect(Code[(await rpcError(inventory.getAsset({ symbol: "PWN" }))).code]).toBe("NotFound");
    });
  });

  describe("LedgerService", () => {
    const maxToken = 18_446_744_073_709_551_615n;
    const settlement = (buyerHold: string, sellerHold: string) => ({
      market: "BTC-USD",
      fencingToken: maxToken,
      trades: [
        {
          tradeId: "blackbox-1",
          sequence: 1n,
          price: "50000",
          quantity: "0.001",
          quoteAmount: "50",
          buyer: {
            accountId: alice.id,
            orderId: "o-buy",
            holdReferenceId: buyerHold,
            maker: false,
            fee: "0",
          },
          seller: {
            accountId: bob.id,
            orderId: "o-sell",
            holdReferenceId: sellerHold,
            maker: true,
            fee: "0",
          },
          executedAt: timestampNow(),
        },
      ],
    });

    it("refuses every caller without the service credential, a customer's token included", async () => {
      await balances.deposit(
        { asset: "USD", amount: "10", idempotencyKey: "ledger-seed" },
        bearer(alice.accessToken),
      );
      const before = await balances.getBalances({}, bearer(alice.accessToken));
      const hold = { accountId: alice.id, asset: "USD", amount: "10", referenceId: "steal-1" };
      const wrongCredential = {
        headers: { "x-bourse-service-credential": "not-the-credential-but-long-enough-1234" },
      };
      for (const options of [{}, bearer(alice.accessToken), wrongCredential]) {
        expect(Code[(await rpcError(ledger.hold(hold, options))).code]).toBe("Unauthenticated");
        expect(Code[(await rpcError(ledger.settle(settlement("steal-1", "steal-2"), options))).code]).toBe(
          "Unauthenticated",
        );
      }
      expect(await balances.getBalances({}, bearer(alice.accessToken))).toEqual(before);
    });

    it.runIf(plan === movedPlan)(
      "refuses a settlement under a fencing token the lock service never issued",
      async () => {
        const service = { headers: { "x-bourse-service-credential": run.credential ?? "" } };
        await balances.deposit(
          { asset: "USD", amount: "100", idempotencyKey: "fence-usd" },
          bearer(alice.accessToken),
        );
        await balances.deposit(
          { asset: "BTC", amount: "0.01", idempotencyKey: "fence-btc" },
          bearer(bob.accessToken),
        );
        await ledger.hold(
          { accountId: alice.id, asset: "USD", amount: "50", referenceId: "fence-buy" },
          service,
        );
        await ledger.hold(
          { accountId: bob.id, asset: "BTC", amount: "0.001", referenceId: "fence-sell" },
          service,
        );
        const before = [
          await balances.getBalances({}, bearer(alice.accessToken)),
          await balances.getBalances({}, bearer(bob.accessToken)),
        ];
        const settled = await rpcError(ledger.settle(settlement("fence-buy", "fence-sell"), service));
        expect(Code[settled.code]).toBe("FailedPrecondition");
        expect([
          await balances.getBalances({}, bearer(alice.accessToken)),
          await balances.getBalances({}, bearer(bob.accessToken)),
        ]).toEqual(before);
      },
    );
  });
});

describe.skipIf(!inject("dynamoEndpoint") || !inject("redisUrl"))(
  "npm start -- --dynamodb <endpoint> --redis <url>",
  () => {
    let exchange: RunningExchange;
    const table = `bourse-flags-${Date.now()}`;

    beforeAll(async () => {
      exchange = await startExchange({ ...quiet, ...everyPortZero, DYNAMODB_TABLE: table }, [
        "--dynamodb",
        inject("dynamoEndpoint") ?? "",
        "--redis",
        inject("redisUrl") ?? "",
      ]);
    }, 120_000);

    afterAll(() => exchange?.stop());

    it("makes its table, runs on DynamoDB and Redis, and serves through the gateway", async () => {
      expect(exchange.output()).toContain(`DynamoDB table ${table}, Redis locks`);
      const gateway = createConnectTransport({ baseUrl: exchange.endpoints.gatewayHttp, httpVersion: "1.1" });
      const { tokens } = await createClient(AuthService, gateway).register({
        email: "flags@bourse.example",
        password: PASSWORD,
        displayName: "flags",
      });
      const deposit = await createClient(BalanceService, gateway).deposit(
        { asset: "USD", amount: "10", idempotencyKey: "flags" },
        bearer(tokens?.accessToken ?? ""),
      );
      expect(deposit.balance?.available).toBe("10");
      const client = createDynamoDbClient({ region: "us-east-1", endpoint: inject("dynamoEndpoint") ?? "" });
      try {
        expect(await ensureTable(client, table)).toBe("exists");
      } finally {
        client.destroy();
      }
    });
  },
);

describe("npm start with every port 0", () => {
  let exchange: RunningExchange;

  beforeAll(async () => {
    exchange = await startExchange({ ...quiet, ...everyPortZero });
  }, 120_000);

  afterAll(() => exchange?.stop());

  it("finds inventory and the JWKS at the free ports it picked", async () => {
    const { endpoints } = exchange;
    const ports = Object.values(endpoints).map((url) => Number(new URL(url).port));
    expect(ports.some((port) => [50051, 50052, 9101, 9102, 8080].includes(port))).toBe(false);
    const users = createConnectTransport({ baseUrl: endpoints.usersRpc, httpVersion: "2" });
    const { tokens } = await createClient(AuthService, users).register({
      email: "zero@bourse.example",
      password: PASSWORD,
      displayName: "zero",
    });
    const token = bearer(tokens?.accessToken ?? "");
    // Deposit asks inventory for the asset's precision; the admin check fetches the JWKS.
    const deposit = await createClient(BalanceService, users).deposit(
      { asset: "USD", amount: "1", idempotencyKey: "zero" },
      token,
    );
    expect(deposit.balance?.available).toBe("1");
    const inventory = createClient(
      InventoryService,
      createGrpcTransport({ baseUrl: endpoints.inventoryRpc }),
    );
    const halt = await rpcError(
      inventory.setMarketStatus({ symbol: "BTC-USD", status: MarketStatus.HALTED, reason: "no" }, token),
    );
    expect(Code[halt.code]).toBe("PermissionDenied");
  });
});

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Registers through the gateway and deposits `usd`; the bearer header of the new customer. */
async function fundedCustomer(gatewayHttp: string, name: string, usd: string) {
  const gateway = createConnectTransport({ baseUrl: gatewayHttp, httpVersion: "1.1" });
  const { tokens } = await createClient(AuthService, gateway).register({
    email: `${name}@bourse.example`,
    password: PASSWORD,
    displayName: name,
  });
  const auth = bearer(tokens?.accessToken ?? "");
  await createClient(BalanceService, gateway).deposit(
    { asset: "USD", amount: usd, idempotencyKey: name },
    auth,
  );
  return { gateway, auth };
}

describe("npm start: one process per service", () => {
  let exchange: RunningExchange;

  beforeAll(async () => {
    exchange = await startExchange({ ...quiet, ...everyPortZero });
  }, 120_000);

  afterAll(() => exchange?.stop());

  it("runs each service and the gateway as its own process, their lines prefixed with their names", () => {
    const pids = exchange.childProcessIds();
    expect(pids).toHaveLength(6);
    expect(new Set([...pids, process.pid]).size).toBe(7);
    expect(pids.every(isAlive)).toBe(true);
    const output = exchange.output();
    expect(output).toContain("Bourse is running (one process per service;");
    for (const name of ["users", "inventory", "orders", "matching", "marketmaker"]) {
      expect(output).toMatch(new RegExp(`^${name} +\\| \\{"level"`, "m"));
    }
  });

  it("shares one state among them: an order placed through the gateway is held, listed and streamed", async () => {
    const { gateway, auth } = await fundedCustomer(exchange.endpoints.gatewayHttp, "processes", "100");
    const orders = createClient(OrderService, gateway);
    const streaming = new AbortController();
    const updates = orders.streamMyOrders({}, { ...auth, signal: streaming.signal })[Symbol.asyncIterator]();
    expect((await updates.next()).value?.event.case).toBe("start");

    const placed = await orders.placeOrder(
      placeOrderRequest({ market: "BTC-USD", side: "buy", price: "100", quantity: "0.1" }),
      auth,
    );
    const id = placed.order?.id ?? "";
    expect(id).not.toBe("");
    let streamed: string | undefined;
    while (streamed === undefined) {
      const { value, done } = await updates.next();
      if (done) throw new Error("StreamMyOrders ended before the order's update");
      if (value.event.case === "update" && value.event.value.order?.id === id) streamed = id;
    }
    streaming.abort();

    expect((await orders.listOrders({ market: "BTC-USD" }, auth)).orders.map((order) => order.id)).toEqual([
      id,
    ]);
    const [usd] = (await createClient(BalanceService, gateway).getBalances({ assets: ["USD"] }, auth))
      .balances;
    // 0.1 BTC at 100 USD, and the taker fee it may pay (0.2 %).
    expect(usd?.held).toBe("10.02");
  });

  it("stops every process on Ctrl-C and exits 0", async () => {
    const pids = exchange.childProcessIds();
    expect(await exchange.stop("SIGINT")).toBe(0);
    expect(pids.filter(isAlive)).toEqual([]);
  });
});

describe("npm start with a service that refuses its configuration", () => {
  it("stops the processes it started and exits 2, with the service's message", async () => {
    const failure = await startExchange({
      ...quiet,
      ...everyPortZero,
      LOGIN_ATTEMPTS_PER_ADDRESS: "many",
    }).catch((error: unknown) => error as Error);
    expect(failure).toBeInstanceOf(Error);
    expect((failure as Error).message).toMatch(/^npm start is not running: exited \(2\)/);
    expect((failure as Error).message).toMatch(/^users +\| .*LOGIN_ATTEMPTS_PER_ADDRESS/m);
    expect((failure as Error).message).toContain("users exited (code 2) before it was ready");
  });
});

describe("npm start -- --all-in-one", () => {
  let exchange: RunningExchange;

  beforeAll(async () => {
    exchange = await startExchange({ ...quiet, ...everyPortZero }, ["--all-in-one"]);
  }, 120_000);

  afterAll(() => exchange?.stop());

  it("runs every service in the launcher's process and serves through the gateway", async () => {
    expect(exchange.output()).toContain("Bourse is running (all in one process;");
    expect(exchange.childProcessIds()).toEqual([]);
    const { gateway, auth } = await fundedCustomer(exchange.endpoints.gatewayHttp, "one", "7");
    const [usd] = (await createClient(BalanceService, gateway).getBalances({ assets: ["USD"] }, auth))
      .balances;
    expect(usd?.available).toBe("7");
    expect(await exchange.stop("SIGINT")).toBe(0);
  });
});

describe("npm start -- --data-dir <dir>", () => {
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), "bourse-data-"));
  });

  afterAll(() => rm(dataDir, { recursive: true, force: true }));

  it("keeps accounts and balances across a restart, from one mode to the other", async () => {
    const first = await startExchange({ ...quiet, ...everyPortZero }, [
      "--all-in-one",
      "--data-dir",
      dataDir,
    ]);
    try {
      expect(first.output()).toContain(`embedded store kept in ${dataDir}`);
      await fundedCustomer(first.endpoints.gatewayHttp, "kept", "42");
    } finally {
      expect(await first.stop()).toBe(0);
    }

    const second = await startExchange({ ...quiet, ...everyPortZero }, ["--data-dir", dataDir]);
    try {
      const gateway = createConnectTransport({ baseUrl: second.endpoints.gatewayHttp, httpVersion: "1.1" });
      const { tokens } = await createClient(AuthService, gateway).login({
        email: "kept@bourse.example",
        password: PASSWORD,
      });
      const [usd] = (
        await createClient(BalanceService, gateway).getBalances(
          { assets: ["USD"] },
          bearer(tokens?.accessToken ?? ""),
        )
      ).balances;
      expect(usd?.available).toBe("42");
    } finally {
      expect(await second.stop()).toBe(0);
    }
  }, 120_000);
});
