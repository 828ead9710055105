import { generateKeyPairSync } from "node:crypto";
import { ConfigError } from "@bourse/common";
import { createTokenVerifier } from "@bourse/common/auth";
import { describe, expect, it } from "vitest";
import { createAccessTokenIssuer } from "./access-tokens.js";
import { generatedKeyRing, keyRingFromConfig } from "./signing-keys.js";

const ecPem = () =>
  generateKeyPairSync("ec", { namedCurve: "P-256" })
    .privateKey.export({ format: "pem", type: "pkcs8" })
    .toString();
const edJwk = () => generateKeyPairSync("ed25519").privateKey.export({ format: "jwk" });

const issuer = (keys: ReturnType<typeof keyRingFromConfig>) =>
  createAccessTokenIssuer({
    keys,
    issuer: "bourse-users",
    audience: "bourse",
    ttlSeconds: 900,
    now: () => new Date(),
  });

describe("signing keys", () => {
  it("reads PEM and JWK keys, signs with the active one and publishes only public halves", async () => {
    const keys = keyRingFromConfig(
      JSON.stringify([
        { kid: "a", pem: ecPem() },
        { ...edJwk(), kid: "b" },
      ]),
      "b",
    );
    expect(keys.active).toMatchObject({ kid: "b", alg: "EdDSA" });
    expect(keys.jwks.keys.map((key) => [key.kid, key.alg, key.d])).toEqual([
      ["a", "ES256", undefined],
      ["b", "EdDSA", undefined],
    ]);
    const { token } = await issuer(keys).issue({ id: "u1", role: "admin" });
    await expect(createTokenVerifier({ jwks: keys.jwks }).verify(token)).resolves.toEqual({
      userId: "u1",
      role: "admin",
    });
  });

  it("generates a P-256 key when none is configured", () => {
    expect(generatedKeyRing().active).toMatchObject({
      alg: "ES256",
      kid: expect.stringMatching(/^generated-/),
    });
  });

  it.each([
    ["not JSON", "{"],
    ["an empty list", "[]"],
    ["a public key only", JSON.stringify([{ kid: "a", kty: "EC", crv: "P-256", x: "x", y: "y" }])],
    [
      "an RSA key",
      JSON.stringify([
        {
          kid: "a",
          pem: generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({
            format: "pem",
            type: "pkcs8",
          }),
        },
      ]),
    ],
    [
      "a P-384 key",
      JSON.stringify([
        {
          kid: "a",
          pem: generateKeyPairSync("ec", { namedCurve: "P-384" }).privateKey.export({
            format: "pem",
            type: "pkcs8",
          }),
        },
      ]),
    ],
    [
      "a broken PEM",
      JSON.stringify([{ kid: "a", pem: "-----BEGIN PRIVATE KEY-----\nnope\n-----END PRIVATE KEY-----" }]),
    ],
    [
      "duplicate kids",
      JSON.stringify([
        { kid: "a", pem: ecPem() },
        { kid: "a", pem: ecPem() },
      ]),
    ],
  ])("refuses %s as a configuration error that names JWT_KEYS", (_label, json) => {
    expect(() => keyRingFromConfig(json)).toThrow(ConfigError);
    expect(() => keyRingFromConfig(json)).toThrow(/JWT_KEYS/);
  });

  it("refuses an active kid that names no key", () => {
    expect(() => keyRingFromConfig(JSON.stringify([{ kid: "a", pem: ecPem() }]), "b")).toThrow(
      /JWT_ACTIVE_KID/,
    );
  });
});
