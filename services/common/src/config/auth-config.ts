import { createLocalJWKSet, type JSONWebKeySet } from "jose";
import { z } from "zod";
import { type Authenticator, createAuthenticator } from "../auth/authenticator.js";
import { accessTokenAudience, defaultTokenIssuer } from "../auth/claims.js";
import { createTokenVerifier, DEFAULT_CLOCK_TOLERANCE_SECONDS } from "../auth/token-verifier.js";
import { refuseInProduction } from "./deployment.js";
import { type Env, loadConfig } from "./env.js";

const isLoopbackHost = (host: string) =>
  host === "localhost" || host === "[::1]" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);

/** Names that resolve only inside a Kubernetes cluster, whose traffic never crosses the internet. */
const isClusterLocalHost = (host: string) => host.endsWith(".svc") || host.endsWith(".cluster.local");

const isPlainHttp = (url: URL) => url.protocol === "http:";

/** Keys pinned in configuration: a JWKS document of public keys. */
const pinnedJwks = z.string().transform((text, context): JSONWebKeySet => {
  try {
    const jwks = JSON.parse(text) as JSONWebKeySet;
    createLocalJWKSet(jwks);
    if (jwks.keys.length === 0) throw new Error("no keys");
    if (jwks.keys.some((key) => "d" in key)) throw new Error("private key material");
    return jwks;
  } catch (error) {
    context.addIssue({
      code: "custom",
      message: `must be a JWKS of public keys (${(error as Error).message})`,
    });
    return z.NEVER;
  }
});

/** How a service verifies access tokens: against the users service's published JWKS, or pinned keys. */
export const authConfigSchema = z.object({
  /**
   * The users service's JWKS; the default is where `npm start` serves it. Plain http only to a
   * loopback or cluster-local host (the keys decide who is admin; a network attacker must not swap them).
   */
  AUTH_JWKS_URL: z
    .url()
    .refine((text) => {
      const url = new URL(text);
      return (
        url.protocol === "https:" ||
        (isPlainHttp(url) && (isLoopbackHost(url.hostname) || isClusterLocalHost(url.hostname)))
      );
    }, "must be https, or http to a loopback or cluster-local (*.svc, *.cluster.local) host")
    .default("http://127.0.0.1:9101/.well-known/jwks.json"),
  /** A JWKS JSON of the public keys to trust; when set, AUTH_JWKS_URL is not used and nothing is fetched. */
  AUTH_JWKS: pinnedJwks.optional(),
  AUTH_ISSUER: z.string().min(1).default(defaultTokenIssuer),
  AUTH_AUDIENCE: z.string().min(1).default(accessTokenAudience),
  /** Clock skew allowed for `exp`, `nbf` and `iat`. */
  AUTH_CLOCK_TOLERANCE_SECONDS: z.coerce
    .number()
    .int()
    .min(0)
    .max(300)
    .default(DEFAULT_CLOCK_TOLERANCE_SECONDS),
});

export type AuthConfig = z.infer<typeof authConfigSchema>;

/** An authenticator for handlers, configured from `AUTH_*` variables. */
export function authenticatorFromEnv(service: string, env: Env): Authenticator {
  const config = loadConfig(service, authConfigSchema, env);
  const jwksUrl = new URL(config.AUTH_JWKS_URL);
  refuseInProduction(service, env, [
    {
      setting: "AUTH_JWKS_URL",
      refused: config.AUTH_JWKS === undefined && isPlainHttp(jwksUrl) && !isLoopbackHost(jwksUrl.hostname),
      reason:
        "fetches the signing keys over plain http; use https, a loopback address, or pin the keys in AUTH_JWKS",
    },
  ]);
  return createAuthenticator(
    createTokenVerifier({
      jwks: config.AUTH_JWKS ?? jwksUrl,
      issuer: config.AUTH_ISSUER,
      audience: config.AUTH_AUDIENCE,
      clockToleranceSeconds: config.AUTH_CLOCK_TOLERANCE_SECONDS,
    }),
  );
}
