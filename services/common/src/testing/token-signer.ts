import { exportJWK, generateKeyPair, type JSONWebKeySet, SignJWT } from "jose";
import { accessTokenAudience, defaultTokenIssuer, type Role } from "../auth/claims.js";

/** Mints access tokens for tests of services that verify them; the users service has the real signer. */
export interface TestTokenSigner {
  readonly jwks: JSONWebKeySet;
  sign(
    claims: { userId: string; role?: Role },
    options?: { expiresIn?: string; issuer?: string; audience?: string },
  ): Promise<string>;
}

export async function createTestTokenSigner(kid = "test-key"): Promise<TestTokenSigner> {
  const { privateKey, publicKey } = await generateKeyPair("ES256");
  const jwk = { ...(await exportJWK(publicKey)), kid, alg: "ES256", use: "sig" };
  return {
    jwks: { keys: [jwk] },
    sign: (claims, options = {}) =>
      new SignJWT({ role: claims.role ?? "customer" })
        .setProtectedHeader({ alg: "ES256", kid })
        .setSubject(claims.userId)
        .setIssuer(options.issuer ?? defaultTokenIssuer)
        .setAudience(options.audience ?? accessTokenAudience)
        .setIssuedAt()
        .setExpirationTime(options.expiresIn ?? "15m")
        .sign(privateKey),
  };
}
