import type { Role } from "@bourse/common/auth";
import { SignJWT } from "jose";
import type { KeyRing } from "./signing-keys.js";

export interface AccessToken {
  readonly token: string;
  readonly expiresAt: Date;
}

export interface AccessTokenIssuer {
  issue(subject: { readonly id: string; readonly role: Role }): Promise<AccessToken>;
}

export interface AccessTokenOptions {
  readonly keys: KeyRing;
  readonly issuer: string;
  readonly audience: string;
  readonly ttlSeconds: number;
  readonly now: () => Date;
}

/** Signs access tokens with the active key: `kid` in the header; iss, aud, sub, role, iat and exp. */
export function createAccessTokenIssuer(options: AccessTokenOptions): AccessTokenIssuer {
  return {
    async issue({ id, role }) {
      const { active } = options.keys;
      const issuedAt = Math.floor(options.now().getTime() / 1000);
      const expiresAt = issuedAt + options.ttlSeconds;
      const token = await new SignJWT({ role })
        .setProtectedHeader({ alg: active.alg, kid: active.kid, typ: "JWT" })
        .setIssuer(options.issuer)
        .setAudience(options.audience)
        .setSubject(id)
        .setIssuedAt(issuedAt)
        .setExpirationTime(expiresAt)
        .sign(active.privateKey);
      return { token, expiresAt: new Date(expiresAt * 1000) };
    },
  };
}
