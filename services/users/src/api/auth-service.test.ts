import { generateKeyPairSync, type KeyObject } from "node:crypto";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createServiceClient } from "@bourse/common";
import { createTokenVerifier } from "@bourse/common/auth";
import { describeWithStores, rpcError } from "@bourse/common/testing";
import { InventoryService } from "@bourse/proto/bourse/inventory/v1/inventory_service_pb";
import { MarketStatus } from "@bourse/proto/bourse/inventory/v1/market_pb";
import { Role } from "@bourse/proto/bourse/users/v1/user_pb";
import { Code } from "@connectrpc/connect";
import { base64url, decodeJwt, decodeProtectedHeader, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setRoleByEmail } from "../admin/admin-role.js";
import { startUsers, type UsersHarness } from "../testing/users-harness.js";

describeWithStores("AuthService and UserService", (store) => {
  let h: UsersHarness;
  beforeAll(async () => {
    h = await startUsers(store(), { env: { BOOTSTRAP_ADMIN_EMAIL: "Boss@Example.com" } });
  });
  afterAll(() => h?.stop());

  const bearer = (token: string) => ({ headers: { authorization: `Bearer ${token}` } });
  const markets = () =>
    createServiceClient(InventoryService, { baseUrl: h.inventory.rpcUrl, caller: "test" });

  it("registers a customer and signs it in with a short-lived ES256 token naming its key", async () => {
    const { user, tokens } = await h.auth.register({
      email: "  New.Person@Example.COM ",
      password: "correct horse battery",
      displayName: "  New Person ",
    });
    expect(user).toMatchObject({
      email: "new.person@example.com",
      displayName: "New Person",
      role: Role.CUSTOMER,
    });
    const token = tokens?.accessToken ?? "";
    expect(decodeProtectedHeader(token)).toMatchObject({ alg: "ES256", kid: "test-key" });
    const claims = decodeJwt(token);
    expect(claims).toMatchObject({ iss: "bourse-users", aud: "bourse", sub: user?.id, role: "customer" });
    expect((claims.exp ?? 0) - (claims.iat ?? 0)).toBeLessThanOrEqual(900);
    const me = await h.profile.getMe({}, bearer(token));
    expect(me.user?.id).toBe(user?.id);
    const taken = await rpcError(
      h.auth.register({ email: "new.person@example.com", password: "another long one", displayName: "X" }),
    );
    expect(taken.code).toBe(Code.AlreadyExists);
  });

  it("refuses bad registrations with invalid_argument and claims nothing", async () => {
    const good = { email: "careful@example.com", password: "a long passphrase", displayName: "Careful" };
    const bad: Array<[string, Partial<typeof good>]> = [
      ["empty email", { email: "" }],
      ["oversized email", { email: `${"a".repeat(250)}@example.com` }],
      ["malformed email", { email: "not-an-email" }],
      ["email without domain", { email: "careful@" }],
      ["short password", { password: "short" }],
      ["common password", { password: "Password123" }],
      ["oversized password", { password: "x".repeat(129) }],
      ["empty display name", { displayName: "   " }],
      ["control characters", { displayName: "bell\u0007" }],
      ["oversized display name", { displayName: "n".repeat(65) }],
    ];
    for (const [label, change] of bad) {
      const error = await rpcError(h.auth.register({ ...good, ...change }));
      expect([label, error.code]).toEqual([label, Code.InvalidArgument]);
      expect(error.rawMessage).not.toContain(change.password ?? good.password);
    }
    await expect(h.auth.register(good)).resolves.toBeDefined();
  });

  it("fails a wrong email and a wrong password alike", async () => {
    const user = await h.signUp();
    await expect(
      h.auth.login({ email: user.email.toUpperCase(), password: user.password }),
    ).resolves.toBeDefined();
    const wrongPassword = await rpcError(h.auth.login({ email: user.email, password: `${user.password}x` }));
    const wrongEmail = await rpcError(h.auth.login({ email: `x${user.email}`, password: user.password }));
    expect(wrongPassword.code).toBe(Code.Unauthenticated);
    expect([wrongEmail.code, wrongEmail.rawMessage]).toEqual([wrongPassword.code, wrongPassword.rawMessage]);
    expect((await rpcError(h.auth.login({ email: "", password: "x" }))).code).toBe(Code.InvalidArgument);
  });

  it("rotates refresh tokens, and reuse of a rotated one after the reuse interval revokes the whole family", async () => {
    let clock = Date.now();
    const clocked = await startUsers(store(), { users: { now: () => new Date(clock) } });
    try {
      const user = await clocked.signUp();
      const first = (await clocked.auth.refresh({ refreshToken: user.refreshToken })).tokens;
      const second = (await clocked.auth.refresh({ refreshToken: first?.refreshToken ?? "" })).tokens;
      expect(second?.refreshToken).not.toBe(first?.refreshToken);
      clock += 11_000;
      const reuse = await rpcError(clocked.auth.refresh({ refreshToken: user.refreshToken }));
      expect(reuse.code).toBe(Code.Unauthenticated);
      const latest = await rpcError(clocked.auth.refresh({ refreshToken: second?.refreshToken ?? "" }));
      expect(latest.code).toBe(Code.Unauthenticated);
      const other = await clocked.auth.login({ email: user.email, password: user.password });
      await expect(
        clocked.auth.refresh({ refreshToken: other.tokens?.refreshToken ?? "" }),
      ).resolves.toBeDefined();
    } finally {
      await clocked.stop();
    }
  });

  it("answers two concurrent refreshes of one token (a double submit) with the same pair, and stays signed in", async () => {
    const user = await h.signUp();
    const [first, second] = await Promise.all([
      h.auth.refresh({ refreshToken: user.refreshToken }),
      h.auth.refresh({ refreshToken: user.refreshToken }),
    ]);
    expect(second.tokens?.refreshToken).toBe(first.tokens?.refreshToken);
    expect(second.tokens?.accessToken).toBe(first.tokens?.accessToken);
    const me = await h.profile.getMe({}, bearer(second.tokens?.accessToken ?? ""));
    expect(me.user?.id).toBe(user.userId);
    const next = await h.auth.refresh({ refreshToken: second.tokens?.refreshToken ?? "" });
    expect(next.tokens?.refreshToken).not.toBe(first.tokens?.refreshToken);
  });

  it("logs out by revoking the family, and accepts unknown tokens", async () => {
    const user = await h.signUp();
    await h.auth.logout({ refreshToken: user.refreshToken });
    expect((await rpcError(h.auth.refresh({ refreshToken: user.refreshToken }))).code).toBe(
      Code.Unauthenticated,
    );
    await expect(h.auth.logout({ refreshToken: "A".repeat(43) })).resolves.toBeDefined();
    await expect(h.auth.logout({ refreshToken: "garbage" })).resolves.toBeDefined();
    expect((await rpcError(h.auth.refresh({ refreshToken: "garbage" }))).code).toBe(Code.Unauthenticated);
    expect((await rpcError(h.auth.refresh({ refreshToken: "" }))).code).toBe(Code.InvalidArgument);
  });

  it("updates the display name and refuses a bad one without changing anything", async () => {
    const user = await h.signUp("Before");
    const { user: updated } = await h.profile.updateProfile(
      { displayName: " After " },
      { headers: user.headers },
    );
    expect(updated?.displayName).toBe("After");
    expect((updated?.updatedAt?.seconds ?? 0n) >= (updated?.createdAt?.seconds ?? 0n)).toBe(true);
    const bad = await rpcError(h.profile.updateProfile({ displayName: "" }, { headers: user.headers }));
    expect(bad.code).toBe(Code.InvalidArgument);
    expect((await h.profile.getMe({}, { headers: user.headers })).user?.displayName).toBe("After");
  });

  it("grants no role at registration, even to the email that BOOTSTRAP_ADMIN_EMAIL used to promote", async () => {
    const boss = await h.auth.register({
      email: "boss@example.com",
      password: "admin passphrase",
      displayName: "B",
    });
    expect(boss.user?.role).toBe(Role.CUSTOMER);
    expect(decodeJwt(boss.tokens?.accessToken ?? "").role).toBe("customer");
    const halt = { symbol: "BTC-USD", status: MarketStatus.HALTED, reason: "taken over" };
    const refused = await rpcError(markets().setMarketStatus(halt, bearer(boss.tokens?.accessToken ?? "")));
    expect(refused.code).toBe(Code.PermissionDenied);
    expect((await markets().getMarket({ symbol: "BTC-USD" })).market?.status).toBe(MarketStatus.ACTIVE);
  });

  it("makes an admin only by the operator's grant, which takes effect at the next sign-in", async () => {
    const user = await h.signUp();
    expect(await setRoleByEmail(store(), user.email.toUpperCase(), "admin", new Date())).toBe("changed");
    expect(await setRoleByEmail(store(), user.email, "admin", new Date())).toBe("unchanged");
    expect(await setRoleByEmail(store(), "nobody@example.com", "admin", new Date())).toBe("no_account");
    const signedIn = await h.auth.login({ email: user.email, password: user.password });
    expect(signedIn.user?.role).toBe(Role.ADMIN);
    const admin = bearer(signedIn.tokens?.accessToken ?? "");
    const halt = { symbol: "BTC-USD", status: MarketStatus.HALTED, reason: "maintenance" };
    await expect(markets().setMarketStatus(halt, admin)).resolves.toBeDefined();
    await markets().setMarketStatus({ symbol: "BTC-USD", status: MarketStatus.ACTIVE }, admin);
    expect(await setRoleByEmail(store(), user.email, "customer", new Date())).toBe("changed");
    const refreshed = await h.auth.refresh({ refreshToken: signedIn.tokens?.refreshToken ?? "" });
    expect(decodeJwt(refreshed.tokens?.accessToken ?? "").role).toBe("customer");
  });

  it("creates the ADMIN_EMAIL account at start-up, and never resets its password or promotes a customer", async () => {
    const email = `admin-${Date.now()}@example.com`;
    const first = await startUsers(store(), {
      env: { ADMIN_EMAIL: email, ADMIN_PASSWORD: "first admin secret" },
    });
    await first.stop();
    const dir = await mkdtemp(join(tmpdir(), "admin-"));
    await writeFile(join(dir, "password"), "second admin secret\n");
    const again = await startUsers(store(), {
      env: { ADMIN_EMAIL: email.toUpperCase(), ADMIN_PASSWORD_FILE: join(dir, "password") },
    });
    try {
      const signedIn = await again.auth.login({ email, password: "first admin secret" });
      expect(signedIn.user?.role).toBe(Role.ADMIN);
      const changed = await rpcError(again.auth.login({ email, password: "second admin secret" }));
      expect(changed.code).toBe(Code.Unauthenticated);
    } finally {
      await again.stop();
    }
    const squatter = await h.signUp();
    const squatted = await startUsers(store(), {
      env: { ADMIN_EMAIL: squatter.email, ADMIN_PASSWORD: "an operator secret" },
    });
    try {
      const signedIn = await squatted.auth.login({ email: squatter.email, password: squatter.password });
      expect(signedIn.user?.role).toBe(Role.CUSTOMER);
    } finally {
      await squatted.stop();
    }
  });

  describe("access tokens", () => {
    /** Signs like the service does; each option changes one thing. */
    const sign = (
      options: {
        sub?: string;
        iss?: string;
        aud?: string;
        key?: KeyObject;
        kid?: string;
        expiresIn?: string;
      } = {},
    ) =>
      new SignJWT({ role: "customer" })
        .setProtectedHeader({ alg: "ES256", kid: options.kid ?? h.signingKey.kid })
        .setIssuer(options.iss ?? "bourse-users")
        .setAudience(options.aud ?? "bourse")
        .setSubject(options.sub ?? "someone")
        .setIssuedAt()
        .setExpirationTime(options.expiresIn ?? "5m")
        .sign(options.key ?? h.signingKey.privateKey);

    it("accepts a token made by the test signer, so the forgeries below differ only as labelled", async () => {
      const user = await h.signUp();
      const token = await sign({ sub: user.userId });
      expect((await h.profile.getMe({}, bearer(token))).user?.id).toBe(user.userId);
    });

    it.each([
      [
        "a tampered payload",
        async (valid: string) => {
          const [header, payload, signature] = valid.split(".");
          const claims = JSON.parse(new TextDecoder().decode(base64url.decode(payload ?? "")));
          return `${header}.${base64url.encode(JSON.stringify({ ...claims, role: "admin" }))}.${signature}`;
        },
      ],
      [
        "alg none",
        async (valid: string) => {
          const payload = valid.split(".")[1];
          return `${base64url.encode(JSON.stringify({ alg: "none", kid: "test-key" }))}.${payload}.`;
        },
      ],
      [
        "another key under the same kid",
        () => sign({ key: generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey }),
      ],
      ["an unknown kid", () => sign({ kid: "nobody" })],
      ["an expired token", () => sign({ expiresIn: "-1m" })],
      ["a wrong audience", () => sign({ aud: "elsewhere" })],
      ["a wrong issuer", () => sign({ iss: "evil" })],
    ])("rejects %s as unauthenticated", async (_label, forge) => {
      const user = await h.signUp();
      const token = await forge(user.headers.authorization.slice("Bearer ".length));
      expect((await rpcError(h.profile.getMe({}, bearer(token)))).code).toBe(Code.Unauthenticated);
      expect((await rpcError(h.balances.getBalances({}, bearer(token)))).code).toBe(Code.Unauthenticated);
    });

    it("publishes the JWKS on the admin port, so any service's verifier accepts the tokens", async () => {
      const url = new URL(`${h.users.adminUrl}/.well-known/jwks.json`);
      const jwks = (await (await fetch(url)).json()) as { keys: Array<Record<string, unknown>> };
      expect(jwks.keys).toEqual([
        expect.objectContaining({ kid: "test-key", alg: "ES256", use: "sig", kty: "EC" }),
      ]);
      expect(jwks.keys[0]).not.toHaveProperty("d");
      const user = await h.signUp();
      const verifier = createTokenVerifier({ jwks: url });
      await expect(verifier.verify(user.headers.authorization.slice(7))).resolves.toEqual({
        userId: user.userId,
        role: "customer",
      });
    });

    it("keeps tokens of a retired key valid while the new key signs", async () => {
      const user = await h.signUp();
      const next = generateKeyPairSync("ed25519").privateKey.export({ format: "jwk" });
      const old = h.signingKey.privateKey.export({ format: "pem", type: "pkcs8" }).toString();
      const rotated = await startUsers(store(), {
        env: {
          JWT_KEYS: JSON.stringify([
            { kid: "test-key", pem: old },
            { ...next, kid: "next-key" },
          ]),
          JWT_ACTIVE_KID: "next-key",
        },
      });
      try {
        expect((await rotated.profile.getMe({}, { headers: user.headers })).user?.id).toBe(user.userId);
        const fresh = await rotated.auth.login({ email: user.email, password: user.password });
        expect(decodeProtectedHeader(fresh.tokens?.accessToken ?? "")).toMatchObject({
          alg: "EdDSA",
          kid: "next-key",
        });
        const verifier = createTokenVerifier({
          jwks: new URL(`${rotated.users.adminUrl}/.well-known/jwks.json`),
        });
        await expect(verifier.verify(fresh.tokens?.accessToken ?? "")).resolves.toMatchObject({
          userId: user.userId,
        });
        await expect(verifier.verify(user.headers.authorization.slice(7))).resolves.toMatchObject({
          userId: user.userId,
        });
      } finally {
        await rotated.stop();
      }
    });
  });
});
