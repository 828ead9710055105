import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Code, createHandlerContext } from "@connectrpc/connect";
import { base64url } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { createTestTokenSigner, type TestTokenSigner } from "../testing/token-signer.js";
import { createAuthenticator } from "./authenticator.js";
import { createTokenVerifier } from "./token-verifier.js";

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
    ["an expired token", async () => signer.sign({ userId: "u1" }, { expiresIn: "-1s" })],
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
