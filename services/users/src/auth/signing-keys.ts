import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type JsonWebKey,
  type KeyObject,
  randomBytes,
} from "node:crypto";
import { ConfigError } from "@bourse/common";
import type { JSONWebKeySet, JWK } from "jose";
import { z } from "zod";

export type SigningAlgorithm = "ES256" | "EdDSA";

export interface SigningKey {
  readonly kid: string;
  readonly alg: SigningAlgorithm;
  readonly privateKey: KeyObject;
  /** The public half as published in the JWKS. */
  readonly publicJwk: JWK;
}

/** The key that signs new tokens, and every key whose tokens are still accepted. */
export interface KeyRing {
  readonly active: SigningKey;
  readonly jwks: JSONWebKeySet;
}

const problem = (message: string) => new ConfigError("users", [message]);

const kidField = z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, "kid must be 1 to 64 of [A-Za-z0-9_.-]");

const configuredKey = z.union([
  z.object({ kid: kidField, pem: z.string().includes("PRIVATE KEY") }).strict(),
  z.looseObject({ kid: kidField, kty: z.enum(["EC", "OKP"]), d: z.string().min(1) }),
]);

const configuredKeys = z.array(configuredKey).min(1);

/** Which signature algorithm a private key is for; only P-256 (ES256) and Ed25519 (EdDSA) are allowed. */
function algorithmOf(key: KeyObject): SigningAlgorithm {
  if (key.asymmetricKeyType === "ed25519") return "EdDSA";
  if (key.asymmetricKeyType === "ec" && key.asymmetricKeyDetails?.namedCurve === "prime256v1") return "ES256";
  throw problem("JWT_KEYS: only EC P-256 and Ed25519 private keys can sign access tokens");
}

function signingKey(kid: string, privateKey: KeyObject): SigningKey {
  const alg = algorithmOf(privateKey);
  const publicJwk = { ...createPublicKey(privateKey).export({ format: "jwk" }), kid, alg, use: "sig" } as JWK;
  return { kid, alg, privateKey, publicJwk };
}

function ring(keys: readonly SigningKey[], activeKid: string | undefined): KeyRing {
  const active = activeKid === undefined ? keys[0] : keys.find((key) => key.kid === activeKid);
  if (!active) throw problem("JWT_ACTIVE_KID: names no key of JWT_KEYS");
  if (new Set(keys.map((key) => key.kid)).size !== keys.length)
    throw problem("JWT_KEYS: kids must be unique");
  return { active, jwks: { keys: keys.map((key) => key.publicJwk) } };
}

/**
 * Keys from `JWT_KEYS` (JSON, see the config). Rotation: add the new key (published, not yet
 * signing), then point JWT_ACTIVE_KID at it, then remove the old key once its last tokens have
 * expired (ACCESS_TOKEN_TTL_SECONDS later). Verifiers fetch the JWKS again on an unknown kid.
 */
export function keyRingFromConfig(json: string, activeKid?: string): KeyRing {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    throw problem("JWT_KEYS: must be a JSON array of keys");
  }
  const result = configuredKeys.safeParse(parsed);
  if (!result.success) {
    throw problem(`JWT_KEYS: ${result.error.issues.map((issue) => issue.message).join("; ")}`);
  }
  const keys = result.data.map((entry) => {
    let privateKey: KeyObject;
    try {
      privateKey =
        typeof entry.pem === "string"
          ? createPrivateKey(entry.pem)
          : createPrivateKey({ key: entry as JsonWebKey, format: "jwk" });
    } catch {
      throw problem(`JWT_KEYS: key ${entry.kid} is not a readable private key`);
    }
    return signingKey(entry.kid, privateKey);
  });
  return ring(keys, activeKid);
}

/** One fresh P-256 key, for a single embedded process: tokens die with the process. */
export function generatedKeyRing(): KeyRing {
  const { privateKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
  return ring([signingKey(`generated-${randomBytes(6).toString("hex")}`, privateKey)], undefined);
}
