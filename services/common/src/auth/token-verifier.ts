import { Code, ConnectError } from "@connectrpc/connect";
import {
  createLocalJWKSet,
  createRemoteJWKSet,
  type JSONWebKeySet,
  type JWTVerifyGetKey,
  jwtVerify,
} from "jose";
import {
  accessTokenAlgorithms,
  accessTokenAudience,
  defaultTokenIssuer,
  isRole,
  type Principal,
} from "./claims.js";

export interface TokenVerifierOptions {
  /**
   * Where the signing keys come from: the users service's JWKS URL (fetched, cached, and fetched
   * again when a token names an unknown `kid`), or a key set in hand.
   */
  jwks: URL | JSONWebKeySet;
  issuer?: string;
  audience?: string;
  /**
   * Least time between two fetches of a remote JWKS, so that tokens naming made-up `kid`s cannot
   * make us hammer the users service. Signers publish a new key before signing with it.
   */
  refetchCooldownMs?: number;
}

export interface TokenVerifier {
  /** The principal of a valid access token; `unauthenticated` for anything else. */
  verify(token: string): Promise<Principal>;
}

function keySource(jwks: URL | JSONWebKeySet, cooldownDuration: number): JWTVerifyGetKey {
  if (jwks instanceof URL) {
    return createRemoteJWKSet(jwks, {
      cooldownDuration,
      cacheMaxAge: 10 * 60_000,
      timeoutDuration: 5_000,
    });
  }
  return createLocalJWKSet(jwks);
}

/**
 * Verifies Bourse access tokens: signature by a published key (ES256 or EdDSA only), `iss`, `aud`,
 * `exp`, a subject and a known role. Why a token failed is not told to the caller.
 */
export function createTokenVerifier(options: TokenVerifierOptions): TokenVerifier {
  const keys = keySource(options.jwks, options.refetchCooldownMs ?? 30_000);
  const issuer = options.issuer ?? defaultTokenIssuer;
  const audience = options.audience ?? accessTokenAudience;
  return {
    async verify(token) {
      let payload: Awaited<ReturnType<typeof jwtVerify>>["payload"];
      try {
        ({ payload } = await jwtVerify(token, keys, {
          issuer,
          audience,
          algorithms: [...accessTokenAlgorithms],
          requiredClaims: ["sub", "exp", "iat"],
        }));
      } catch (error) {
        throw new ConnectError(
          "invalid or expired access token",
          Code.Unauthenticated,
          undefined,
          undefined,
          error,
        );
      }
      if (!payload.sub || !isRole(payload.role)) {
        throw new ConnectError("invalid or expired access token", Code.Unauthenticated);
      }
      return { userId: payload.sub, role: payload.role };
    },
  };
}
