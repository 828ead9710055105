import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Code, createHandlerContext } from "@connectrpc/connect";
import { base64url } from "jose";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { createTestTokenSigner, type TestTokenSigner } from "../testing/token-signer.js";
import { createAuthenticator } from "./authenticator.js";
import { createTokenVerifier, VERIFIED_TOKEN_TTL_SECONDS } from "./token-verifier.js";

function contextWith(authorization?: string) {
  return createHandlerContext({
    service: { typeName: "test.v1.TestService" } as never,
    method: { name: "Test" } as never,
    protocolName: "connect",
    requestMethod: "POST",
    url: "http://localhost/test",
    requestHeader: authorization ? { authorization } : {},
  });
}

let signer: TestTokenSigner;
let otherSigner: TestTokenSigner;

beforeAll(async () => {
  signer = await createTestTokenSigner("key-1");
  otherSigner = await createTestTokenSigner("key-1");
});

describe("token verifier", () => {
  const verifier = () => createTokenVerifier({ jwks: signer.jwks });

  it("accepts a valid token and returns its principal", async () => {
    const token = await signer.sign({ userId: "u1", role: "admin" });
    await expect(verifier().verify(token)).resolves.toEqual({ userId: "u1", role: "admin" });
  });

  it.each([
    ["a token signed with another key", async () => otherSigner.sign({ userId: "u1" })],
    [
      "a token expired beyond the clock tolerance",
      async () => signer.sign({ userId: "u1" }, { expiresIn: "-1m" }),
    ],
    ["a wrong audience", async () => signer.sign({ userId: "u1" }, { audience: "someone-else" })],
    ["a wrong issuer", async () => signer.sign({ userId: "u1" }, { issuer: "evil" })],
    [
      "a tampered payload",
      async () => {
        const [header, payload, signature] = (await signer.sign({ userId: "u1" })).split(".");
        const claims = JSON.parse(new TextDecoder().decode(base64url.decode(payload ?? "")));
        const forged = base64url.encode(JSON.stringify({ ...claims, role: "admin" }));
        return `${header}.${forged}.${signature}`;
      },
    ],
    [
      "alg none",
      async () => {
        const [, payload] = (await signer.sign({ userId: "u1" })).split(".");
        return `${base64url.encode(JSON.stringify({ alg: "none", kid: "key-1" }))}.${payload}.`;
      },
    ],
    ["garbage", async () => "not.a.jwt"],
  ])("rejects %s as unauthenticated", async (_label, makeToken) => {
    await expect(verifier().verify(await makeToken())).rejects.toMatchObject({ code: Code.Unauthenticated });
  });

  it("fetches the JWKS again when a token names an unknown kid (key rotation)", async () => {
    let published = signer.jwks;
    const server: Server = createServer((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify(published));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const url = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`);
      const remote = createTokenVerifier({ jwks: url, refetchCooldownMs: 0 });
      await expect(remote.verify(await signer.sign({ userId: "u1" }))).resolves.toMatchObject({
        userId: "u1",
      });
      const rotated = await createTestTokenSigner("key-2");
      published = { keys: [...signer.jwks.keys, ...rotated.jwks.keys] };
      await expect(remote.verify(await rotated.sign({ userId: "u2" }))).resolves.toMatchObject({
        userId: "u2",
      });
      await expect(remote.verify(await signer.sign({ userId: "u1" }))).resolves.toMatchObject({
        userId: "u1",
      });
    } finally {
      server.close();
    }
  });
});

/**
 * A JWKS endpoint the test controls: it serves `published`, or fails with 503 while `down`, and can
 * hold its answers until `release()`. It counts the requests it gets.
 */
async function startJwksServer(published: () => unknown) {
  let down = false;
  let held: Array<() => void> | undefined;
  let requests = 0;
  const server: Server = createServer((_req, res) => {
    requests += 1;
    const answer = () => {
      if (down) {
        res.writeHead(503).end();
        return;
      }
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify(published()));
    };
    if (held) held.push(answer);
    else answer();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`),
    requests: () => requests,
    setDown(value: boolean) {
      down = value;
    },
    hold() {
      held = [];
    },
    release() {
      for (const answer of held ?? []) answer();
      held = undefined;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A clock that starts now and moves only when told. */
function testClock() {
  let at = Date.now();
  return {
    now: () => new Date(at),
    advance(ms: number) {
      at += ms;
    },
  };
}

describe("token verifier with a remote JWKS", () => {
  const remote = { maxAgeMs: 60_000, retryBaseMs: 1_000, retryMaxMs: 8_000 };

  it("keeps serving the last good keys after they expire while the endpoint is down, and backs off", async () => {
    const jwks = await startJwksServer(() => signer.jwks);
    const clock = testClock();
    try {
      const verifier = createTokenVerifier({ jwks: jwks.url, remote, now: clock.now });
      // A new token each time (ES256 signatures differ), since a verified one is answered from memory;
      // all signed before the clock moves, so that each check follows its clock step at once.
      const tokens = await Promise.all(Array.from({ length: 10 }, () => signer.sign({ userId: "u1" })));
      const token = () => tokens.pop() ?? "";
      await expect(verifier.verify(token())).resolves.toMatchObject({ userId: "u1" });
      expect(jwks.requests()).toBe(1);
      jwks.setDown(true);
      clock.advance(61_000);
      await expect(verifier.verify(token())).resolves.toMatchObject({ userId: "u1" });
      await vi.waitFor(() => expect(jwks.requests()).toBe(2));
      for (let i = 0; i < 5; i++) await expect(verifier.verify(token())).resolves.toBeDefined();
      expect(jwks.requests()).toBe(2);
      clock.advance(1_000);
      await verifier.verify(token());
      await vi.waitFor(() => expect(jwks.requests()).toBe(3));
      clock.advance(1_999);
      await verifier.verify(token());
      expect(jwks.requests()).toBe(3);
      clock.advance(1);
      await verifier.verify(token());
      await vi.waitFor(() => expect(jwks.requests()).toBe(4));
      await expect(verifier.verify("not.a.jwt")).rejects.toMatchObject({ code: Code.Unauthenticated });
    } finally {
      await jwks.close();
    }
  });

  it("answers unavailable only while no key was ever loaded, fetching no more often than the backoff allows", async () => {
    const jwks = await startJwksServer(() => signer.jwks);
    const clock = testClock();
    jwks.setDown(true);
    try {
      const verifier = createTokenVerifier({ jwks: jwks.url, remote, now: clock.now });
      const token = await signer.sign({ userId: "u1" });
      await expect(verifier.verify(token)).rejects.toMatchObject({ code: Code.Unavailable });
      await expect(verifier.verify(token)).rejects.toMatchObject({ code: Code.Unavailable });
      expect(jwks.requests()).toBe(1);
      const waits = [1_000, 2_000, 4_000, 8_000, 8_000];
      for (const [index, wait] of waits.entries()) {
        clock.advance(wait - 1);
        await expect(verifier.verify(token)).rejects.toMatchObject({ code: Code.Unavailable });
        expect(jwks.requests()).toBe(index + 1);
        clock.advance(1);
        await expect(verifier.verify(token)).rejects.toMatchObject({ code: Code.Unavailable });
        expect(jwks.requests()).toBe(index + 2);
      }
      jwks.setDown(false);
      clock.advance(8_000);
      await expect(verifier.verify(token)).resolves.toMatchObject({ userId: "u1" });
    } finally {
      await jwks.close();
    }
  });

  it("lets concurrent verifications share one fetch", async () => {
    const jwks = await startJwksServer(() => signer.jwks);
    jwks.hold();
    try {
      const verifier = createTokenVerifier({ jwks: jwks.url, remote });
      const token = await signer.sign({ userId: "u1" });
      const checks = Array.from({ length: 20 }, () => verifier.verify(token));
      await vi.waitFor(() => expect(jwks.requests()).toBe(1));
      jwks.release();
      await expect(Promise.all(checks)).resolves.toHaveLength(20);
      expect(jwks.requests()).toBe(1);
    } finally {
      await jwks.close();
    }
  });

  it("fetches again for unknown kids at most once per cooldown", async () => {
    const jwks = await startJwksServer(() => signer.jwks);
    const clock = testClock();
    try {
      const verifier = createTokenVerifier({
        jwks: jwks.url,
        remote,
        refetchCooldownMs: 30_000,
        now: clock.now,
      });
      await verifier.verify(await signer.sign({ userId: "u1" }));
      const strangers = await Promise.all(
        ["k-a", "k-b", "k-c"].map(async (kid) => (await createTestTokenSigner(kid)).sign({ userId: "u2" })),
      );
      for (const token of strangers) {
        await expect(verifier.verify(token)).rejects.toMatchObject({ code: Code.Unauthenticated });
      }
      expect(jwks.requests()).toBe(2);
      clock.advance(30_000);
      await expect(verifier.verify(strangers[0] ?? "")).rejects.toMatchObject({ code: Code.Unauthenticated });
      expect(jwks.requests()).toBe(3);
    } finally {
      await jwks.close();
    }
  });
});

describe("token verifier clock checks", () => {
  it("allows the clock tolerance past exp, and no more", async () => {
    const verifier = createTokenVerifier({ jwks: signer.jwks, clockToleranceSeconds: 30 });
    await expect(
      verifier.verify(await signer.sign({ userId: "u1" }, { expiresIn: "-10s" })),
    ).resolves.toBeDefined();
    await expect(
      verifier.verify(await signer.sign({ userId: "u1" }, { expiresIn: "-40s" })),
    ).rejects.toMatchObject({
      code: Code.Unauthenticated,
    });
  });

  it("refuses a token issued longer ago than an access token lives, whatever its exp", async () => {
    const clock = testClock();
    const verifier = createTokenVerifier({ jwks: signer.jwks, clockToleranceSeconds: 30, now: clock.now });
    const token = await signer.sign({ userId: "u1" }, { expiresIn: "1d" });
    clock.advance((900 + 30) * 1000);
    await expect(verifier.verify(token)).resolves.toBeDefined();
    clock.advance(2_000);
    await expect(verifier.verify(token)).rejects.toMatchObject({ code: Code.Unauthenticated });
  });

  it("refuses a token issued in the future beyond the tolerance", async () => {
    const clock = testClock();
    const verifier = createTokenVerifier({ jwks: signer.jwks, clockToleranceSeconds: 30, now: clock.now });
    clock.advance(-60_000);
    await expect(verifier.verify(await signer.sign({ userId: "u1" }))).rejects.toMatchObject({
      code: Code.Unauthenticated,
    });
  });
});

describe("verified token cache", () => {
  it("still refuses a forged variant of a token it has verified", async () => {
    const verifier = createTokenVerifier({ jwks: signer.jwks });
    const token = await signer.sign({ userId: "u1" });
    await expect(verifier.verify(token)).resolves.toEqual({ userId: "u1", role: "customer" });
    const [header, payload, signature] = token.split(".");
    const claims = JSON.parse(new TextDecoder().decode(base64url.decode(payload ?? "")));
    const forged = base64url.encode(JSON.stringify({ ...claims, role: "admin" }));
    await expect(verifier.verify(`${header}.${forged}.${signature}`)).rejects.toMatchObject({
      code: Code.Unauthenticated,
    });
    await expect(verifier.verify(`${header}.${payload}.`)).rejects.toMatchObject({
      code: Code.Unauthenticated,
    });
  });

  it("answers a verified token for at most its TTL once its key is withdrawn", async () => {
    let published = signer.jwks;
    const jwks = await startJwksServer(() => published);
    const clock = testClock();
    try {
      const verifier = createTokenVerifier({
        jwks: jwks.url,
        remote: { maxAgeMs: 1_000, retryBaseMs: 1_000, retryMaxMs: 1_000 },
        now: clock.now,
      });
      const token = await signer.sign({ userId: "u1" });
      await expect(verifier.verify(token)).resolves.toMatchObject({ userId: "u1" });
      published = otherSigner.jwks;
      clock.advance(2_000);
      await expect(verifier.verify(await signer.sign({ userId: "u2" }))).resolves.toBeDefined();
      await vi.waitFor(async () =>
        expect(verifier.verify(await signer.sign({ userId: "u3" }))).rejects.toMatchObject({
          code: Code.Unauthenticated,
        }),
      );
      await expect(verifier.verify(token)).resolves.toMatchObject({ userId: "u1" });
      clock.advance(VERIFIED_TOKEN_TTL_SECONDS * 1000 - 2_000);
      await expect(verifier.verify(token)).rejects.toMatchObject({ code: Code.Unauthenticated });
    } finally {
      await jwks.close();
    }
  });

  it("answers a verified token no longer than its exp", async () => {
    const clock = testClock();
    const verifier = createTokenVerifier({ jwks: signer.jwks, clockToleranceSeconds: 30, now: clock.now });
    const token = await signer.sign({ userId: "u1" }, { expiresIn: "20s" });
    await expect(verifier.verify(token)).resolves.toBeDefined();
    clock.advance(51_000);
    await expect(verifier.verify(token)).rejects.toMatchObject({ code: Code.Unauthenticated });
  });

  it("decides a refusal afresh on every call", async () => {
    const jwks = await startJwksServer(() => signer.jwks);
    const clock = testClock();
    jwks.setDown(true);
    try {
      const verifier = createTokenVerifier({
        jwks: jwks.url,
        remote: { maxAgeMs: 60_000, retryBaseMs: 1_000, retryMaxMs: 1_000 },
        now: clock.now,
      });
      const token = await signer.sign({ userId: "u1" });
      await expect(verifier.verify(token)).rejects.toMatchObject({ code: Code.Unavailable });
      jwks.setDown(false);
      clock.advance(1_000);
      await expect(verifier.verify(token)).resolves.toMatchObject({ userId: "u1" });
    } finally {
      await jwks.close();
    }
  });
});

describe("authenticator", () => {
  const authenticator = () => createAuthenticator(createTokenVerifier({ jwks: signer.jwks }));

  it("reads the bearer token from the Authorization header", async () => {
    const token = await signer.sign({ userId: "u7" });
    await expect(authenticator().require(contextWith(`Bearer ${token}`))).resolves.toEqual({
      userId: "u7",
      role: "customer",
    });
  });

  it("rejects a missing or malformed header as unauthenticated", async () => {
    await expect(authenticator().require(contextWith())).rejects.toMatchObject({
      code: Code.Unauthenticated,
    });
    await expect(authenticator().require(contextWith("Basic dXNlcjpwYXNz"))).rejects.toMatchObject({
      code: Code.Unauthenticated,
    });
  });

  it("denies a customer where the admin role is required", async () => {
    const customer = await signer.sign({ userId: "u1", role: "customer" });
    const admin = await signer.sign({ userId: "u2", role: "admin" });
    await expect(
      authenticator().requireRole(contextWith(`Bearer ${customer}`), "admin"),
    ).rejects.toMatchObject({
      code: Code.PermissionDenied,
    });
    await expect(authenticator().requireRole(contextWith(`Bearer ${admin}`), "admin")).resolves.toMatchObject(
      {
        userId: "u2",
      },
    );
  });
});
