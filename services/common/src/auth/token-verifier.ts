import { Code, ConnectError } from "@connectrpc/connect";
import { createLocalJWKSet, type JSONWebKeySet, type JWTVerifyGetKey, jwtVerify } from "jose";
import { LRUCache } from "lru-cache";
import {
  accessTokenAlgorithms,
  accessTokenAudience,
  defaultTokenIssuer,
  isRole,
  type Principal,
} from "./claims.js";
import { createRemoteKeySet, KeySetUnavailableError, type RemoteKeySetOptions } from "./remote-key-set.js";

/** Access tokens live 15 minutes at most (DESIGN §1); an older `iat` is refused whatever `exp` says. */
export const MAX_ACCESS_TOKEN_AGE_SECONDS = 900;

/** Clock skew allowed between the signer and this verifier, for `exp`, `nbf` and `iat`. */
export const DEFAULT_CLOCK_TOLERANCE_SECONDS = 30;

/** How long a verified token is answered from memory before its signature is checked again. */
export const VERIFIED_TOKEN_TTL_SECONDS = 60;

/** Verified tokens remembered at most: a few MB, enough for every client active within the TTL. */
export const VERIFIED_TOKEN_CACHE_SIZE = 10_000;

export interface TokenVerifierOptions {
  /**
   * Where the signing keys come from: the users service's JWKS URL (see createRemoteKeySet), or a key
   * set in hand (the users service's own, or keys pinned in configuration), which is never fetched.
   */
  jwks: URL | JSONWebKeySet;
  issuer?: string;
  audience?: string;
  /** Least time between two fetches prompted by an unknown `kid` (see RemoteKeySetOptions). */
  refetchCooldownMs?: number;
  /** Tuning of the remote key set: freshness, backoff, timeout. */
  remote?: Omit<RemoteKeySetOptions, "url" | "now" | "unknownKidCooldownMs">;
  clockToleranceSeconds?: number;
  /** The clock; tests pass their own. */
  now?: () => Date;
}

export interface TokenVerifier {
  /**
   * The principal of a valid access token; `unauthenticated` for anything else, `unavailable` while
   * no signing key could be loaded yet.
   */
  verify(token: string): Promise<Principal>;
}

const refused = (cause?: unknown) =>
  new ConnectError("invalid or expired access token", Code.Unauthenticated, undefined, undefined, cause);

/**
 * Verifies Bourse access tokens: signature by a published key (ES256 or EdDSA only; `jwk`, `jku` and
 * `x5u` headers are never used), `iss`, `aud`, `exp`, an `iat` no older than the access-token lifetime,
 * a subject and a known role. Why a token failed is not told to the caller.
 */
export function createTokenVerifier(options: TokenVerifierOptions): TokenVerifier {
  const now = options.now ?? (() => new Date());
  const keys: JWTVerifyGetKey =
    options.jwks instanceof URL
      ? createRemoteKeySet({
          ...options.remote,
          url: options.jwks,
          unknownKidCooldownMs: options.refetchCooldownMs,
          now: () => now().getTime(),
        })
      : createLocalJWKSet(options.jwks);
  const issuer = options.issuer ?? defaultTokenIssuer;
  const audience = options.audience ?? accessTokenAudience;
  const clockTolerance = options.clockToleranceSeconds ?? DEFAULT_CLOCK_TOLERANCE_SECONDS;
  /*
   * Verified tokens, by their whole compact string, so that a client's every call does not pay an ECDSA
   * check (most of an order's authentication CPU). This weakens nothing:
   * - The key is the whole token, signature included: a token differing in any byte (a forged payload, a
   *   swapped header or signature) is a different key and gets the full verification.
   * - Only a token that passed every check is stored, never a failure, so a refusal (or `unavailable`
   *   while no key is loaded) is decided afresh on every call.
   * - An entry is answered only from the moment it was verified until the earliest of its `exp`, its
   *   `iat` plus the access-token lifetime (both without the clock tolerance, so a cached answer is never
   *   more lenient than a fresh one) and the TTL. The only thing that may change within that window is
   *   the key set: a token of a key withdrawn from the JWKS stays accepted for at most the TTL, within
   *   the time the remote key set itself keeps serving keys it fetched before (RemoteKeySetOptions).
   * - The clock moving backwards (a test's clock) before the verification time misses the cache.
   */
  const verified = new LRUCache<string, { principal: Principal; fromMs: number; untilMs: number }>({
    max: VERIFIED_TOKEN_CACHE_SIZE,
  });
  return {
    async verify(token) {
      const atMs = now().getTime();
      const cached = verified.get(token);
      if (cached && cached.fromMs <= atMs && atMs < cached.untilMs) return cached.principal;
      let payload: Awaited<ReturnType<typeof jwtVerify>>["payload"];
      try {
        ({ payload } = await jwtVerify(token, keys, {
          issuer,
          audience,
          algorithms: [...accessTokenAlgorithms],
          requiredClaims: ["sub", "exp", "iat"],
          clockTolerance,
          maxTokenAge: MAX_ACCESS_TOKEN_AGE_SECONDS,
          currentDate: new Date(atMs),
        }));
      } catch (error) {
        if (error instanceof KeySetUnavailableError) {
          throw new ConnectError(
            "access tokens cannot be checked yet: signing keys unavailable",
            Code.Unavailable,
            undefined,
            undefined,
            error,
          );
        }
        throw refused(error);
      }
      if (!payload.sub || !isRole(payload.role)) throw refused();
      const principal: Principal = { userId: payload.sub, role: payload.role };
      // jose required exp and iat to be numbers (requiredClaims); a missing one would only mean no caching.
      const untilMs = Math.min(
        (payload.exp ?? 0) * 1000,
        ((payload.iat ?? 0) + MAX_ACCESS_TOKEN_AGE_SECONDS) * 1000,
        atMs + VERIFIED_TOKEN_TTL_SECONDS * 1000,
      );
      if (untilMs > atMs) verified.set(token, { principal, fromMs: atMs, untilMs });
      return principal;
    },
  };
}
