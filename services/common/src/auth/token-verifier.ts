import { Code, ConnectError } from "@connectrpc/connect";
import { createLocalJWKSet, type JSONWebKeySet, type JWTVerifyGetKey, jwtVerify } from "jose";
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
  return {
    async verify(token) {
      let payload: Awaited<ReturnType<typeof jwtVerify>>["payload"];
      try {
        ({ payload } = await jwtVerify(token, keys, {
          issuer,
          audience,
          algorithms: [...accessTokenAlgorithms],
          requiredClaims: ["sub", "exp", "iat"],
          clockTolerance,
          maxTokenAge: MAX_ACCESS_TOKEN_AGE_SECONDS,
          currentDate: now(),
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
      return { userId: payload.sub, role: payload.role };
    },
  };
}
