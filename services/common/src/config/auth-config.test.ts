import { createHandlerContext } from "@connectrpc/connect";
import { beforeAll, describe, expect, it } from "vitest";
import { createTestTokenSigner, type TestTokenSigner } from "../testing/token-signer.js";
import { authConfigSchema, authenticatorFromEnv } from "./auth-config.js";
import { loadConfig } from "./env.js";

const jwksUrlOf = (url: string) => () => loadConfig("test", authConfigSchema, { AUTH_JWKS_URL: url });

describe("AUTH_JWKS_URL", () => {
  it.each([
    "https://auth.example.com/.well-known/jwks.json",
    "http://127.0.0.1:9101/.well-known/jwks.json",
    "http://127.3.4.5/.well-known/jwks.json",
    "http://localhost:9101/.well-known/jwks.json",
    "http://[::1]:9101/.well-known/jwks.json",
    "http://users.bourse.svc:9101/.well-known/jwks.json",
    "http://users.bourse.svc.cluster.local:9101/.well-known/jwks.json",
  ])("accepts %s", (url) => {
    expect(jwksUrlOf(url)().AUTH_JWKS_URL).toBe(url);
  });

  it.each([
    "http://auth.example.com/.well-known/jwks.json",
    "http://10.0.0.7:9101/.well-known/jwks.json",
    "http://127.0.0.1.evil.example/.well-known/jwks.json",
    "http://svc.example.com/.well-known/jwks.json",
    "ftp://127.0.0.1/jwks.json",
  ])("refuses %s, naming the variable", (url) => {
    expect(jwksUrlOf(url)).toThrow(/AUTH_JWKS_URL: must be https/);
  });

  it("refuses a cluster-local plain-http URL under BOURSE_ENV=production, but not loopback or pinned keys", async () => {
    const env = {
      BOURSE_ENV: "production",
      AUTH_JWKS_URL: "http://users.bourse.svc:9101/.well-known/jwks.json",
    };
    expect(() => authenticatorFromEnv("inventory", env)).toThrow(
      /AUTH_JWKS_URL: fetches the signing keys over plain http.*refused under BOURSE_ENV=production/,
    );
    expect(() =>
      authenticatorFromEnv("inventory", {
        ...env,
        AUTH_JWKS_URL: "http://127.0.0.1:9101/.well-known/jwks.json",
      }),
    ).not.toThrow();
    const signer = await createTestTokenSigner();
    expect(() =>
      authenticatorFromEnv("inventory", { ...env, AUTH_JWKS: JSON.stringify(signer.jwks) }),
    ).not.toThrow();
  });
});

describe("AUTH_JWKS (pinned keys)", () => {
  let signer: TestTokenSigner;
  beforeAll(async () => {
    signer = await createTestTokenSigner("pinned");
  });

  it("verifies with the pinned keys and fetches nothing", async () => {
    const auth = authenticatorFromEnv("inventory", {
      AUTH_JWKS: JSON.stringify(signer.jwks),
      AUTH_JWKS_URL: "http://127.0.0.1:1/.well-known/jwks.json",
    });
    const token = await signer.sign({ userId: "u1", role: "admin" });
    const context = createHandlerContext({
      service: { typeName: "test.v1.TestService" } as never,
      method: { name: "Test" } as never,
      protocolName: "connect",
      requestMethod: "POST",
      url: "http://localhost/test",
      requestHeader: { authorization: `Bearer ${token}` },
    });
    await expect(auth.requireRole(context, "admin")).resolves.toEqual({ userId: "u1", role: "admin" });
  });

  it.each([
    ["not JSON", "{"],
    ["no keys", JSON.stringify({ keys: [] })],
    ["not a key set", JSON.stringify({ kty: "EC" })],
    ["a private key", JSON.stringify({ keys: [{ kty: "EC", crv: "P-256", x: "a", y: "b", d: "c" }] })],
  ])("refuses %s", (_label, value) => {
    expect(() => loadConfig("test", authConfigSchema, { AUTH_JWKS: value })).toThrow(
      /AUTH_JWKS: must be a JWKS/,
    );
  });

  it("reads AUTH_CLOCK_TOLERANCE_SECONDS within 0 to 300", () => {
    expect(loadConfig("test", authConfigSchema, {}).AUTH_CLOCK_TOLERANCE_SECONDS).toBe(30);
    expect(() => loadConfig("test", authConfigSchema, { AUTH_CLOCK_TOLERANCE_SECONDS: "3600" })).toThrow(
      /AUTH_CLOCK_TOLERANCE_SECONDS/,
    );
  });
});
