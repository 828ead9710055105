/** Roles a Bourse account can have (DESIGN.md §1). */
export const roles = ["customer", "admin"] as const;
export type Role = (typeof roles)[number];

/** The `aud` of every Bourse access token. */
export const accessTokenAudience = "bourse";

/** The default `iss`: the users service, which alone signs access tokens. */
export const defaultTokenIssuer = "bourse-users";

/** Signature algorithms accepted for access tokens; never `none`, never HMAC. */
export const accessTokenAlgorithms = ["ES256", "EdDSA"] as const;

/** Who is calling, as proven by a verified access token. */
export interface Principal {
  readonly userId: string;
  readonly role: Role;
}

export function isRole(value: unknown): value is Role {
  return typeof value === "string" && (roles as readonly string[]).includes(value);
}
