import { createPublicKey, type KeyObject } from "node:crypto";
import { type CryptoKey, exportJWK, generateKeyPair, type JWK, SignJWT } from "jose";

/** What an attacker who can read the JWKS knows and can make. */
export interface ForgeryKit {
  /** The kid and public JWK the users service publishes. */
  readonly ourKid: string;
  readonly ourPublicJwk: JWK;
  /** A real access token of a customer, and the id of another customer. */
  readonly victimToken: string;
  readonly otherUserId: string;
  /** A real refresh token. */
  readonly refreshToken: string;
  /** Where jku and x5u headers point; the test asserts it is never fetched. */
  readonly trapUrl: string;
}

export interface ForgedToken {
  readonly name: string;
  readonly token: string;
}

const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
const decode = (part: string) =>
  JSON.parse(Buffer.from(part, "base64url").toString()) as Record<string, unknown>;

const nowSeconds = () => Math.floor(Date.now() / 1000);

/** Claims that would be accepted if the signature were ours. */
function plausibleClaims(subject: string, role: string): Record<string, unknown> {
  return {
    iss: "bourse-users",
    aud: "bourse",
    sub: subject,
    role,
    iat: nowSeconds(),
    exp: nowSeconds() + 600,
  };
}

async function signWith(
  key: KeyObject | CryptoKey | Uint8Array,
  header: Record<string, unknown>,
  claims: Record<string, unknown>,
): Promise<string> {
  return new SignJWT(claims).setProtectedHeader(header as { alg: string }).sign(key);
}

/**
 * Every forged or misused token of DESIGN §3.7 that an outsider can make: each must be refused with
 * `unauthenticated` and no data.
 */
export async function forgeTokens(kit: ForgeryKit): Promise<ForgedToken[]> {
  const [victimHeader = "", victimPayload = "", victimSignature = ""] = kit.victimToken.split(".");
  const victim = decode(victimPayload);
  const subject = String(victim.sub);
  const foreign = await generateKeyPair("ES256", { extractable: true });
  const foreignJwk = await exportJWK(foreign.publicKey);
  const ourPem = createPublicKey({ key: kit.ourPublicJwk as never, format: "jwk" }).export({
    type: "spki",
    format: "pem",
  });
  const asAdmin = plausibleClaims(subject, "admin");
  const unsigned = (alg: string) => `${encode({ alg, typ: "JWT" })}.${encode(asAdmin)}.`;
  const tokens: ForgedToken[] = [
    { name: "garbage", token: "garbage" },
    { name: "three garbage parts", token: "a.b.c" },
    { name: "alg none", token: unsigned("none") },
    { name: "alg None", token: unsigned("None") },
    { name: "alg NONE", token: unsigned("NONE") },
    { name: "alg nOnE", token: unsigned("nOnE") },
    {
      name: "HS256 keyed with our public key as PEM",
      token: await signWith(
        new TextEncoder().encode(String(ourPem)),
        { alg: "HS256", kid: kit.ourKid, typ: "JWT" },
        asAdmin,
      ),
    },
    {
      name: "HS256 keyed with our public JWK as JSON",
      token: await signWith(
        new TextEncoder().encode(JSON.stringify(kit.ourPublicJwk)),
        { alg: "HS256", kid: kit.ourKid, typ: "JWT" },
        asAdmin,
      ),
    },
    {
      name: "role swapped to admin without re-signing",
      token: `${victimHeader}.${encode({ ...victim, role: "admin" })}.${victimSignature}`,
    },
    {
      name: "sub swapped to another user without re-signing",
      token: `${victimHeader}.${encode({ ...victim, sub: kit.otherUserId })}.${victimSignature}`,
    },
    { name: "signature stripped", token: `${victimHeader}.${victimPayload}.` },
    { name: "signature part removed", token: `${victimHeader}.${victimPayload}` },
    {
      name: "a foreign key under our kid",
      token: await signWith(foreign.privateKey, { alg: "ES256", kid: kit.ourKid, typ: "JWT" }, asAdmin),
    },
    {
      name: "an embedded jwk header",
      token: await signWith(foreign.privateKey, { alg: "ES256", jwk: foreignJwk, typ: "JWT" }, asAdmin),
    },
    {
      name: "an embedded jwk header under our kid",
      token: await signWith(
        foreign.privateKey,
        { alg: "ES256", kid: kit.ourKid, jwk: foreignJwk, typ: "JWT" },
        asAdmin,
      ),
    },
    {
      name: "a jku header",
      token: await signWith(
        foreign.privateKey,
        { alg: "ES256", kid: "attacker", jku: `${kit.trapUrl}/jwks.json`, typ: "JWT" },
        asAdmin,
      ),
    },
    {
      name: "an x5u header",
      token: await signWith(
        foreign.privateKey,
        { alg: "ES256", kid: "attacker", x5u: `${kit.trapUrl}/cert.pem`, typ: "JWT" },
        asAdmin,
      ),
    },
    { name: "a refresh token as the bearer", token: kit.refreshToken },
    ...(await wrongClaims(foreign.privateKey, kit.ourKid, subject)).map(({ name, token }) => ({
      name: `${name}, signed by a foreign key under our kid`,
      token,
    })),
  ];
  return tokens;
}

/**
 * Tokens whose signature would be good if `key` is the service's own signing key, and whose claims are
 * not: expired, not yet valid, another issuer, another audience, no role.
 */
export async function wrongClaims(
  key: KeyObject | CryptoKey,
  kid: string,
  subject: string,
): Promise<ForgedToken[]> {
  const header = { alg: "ES256", kid, typ: "JWT" };
  const valid = plausibleClaims(subject, "customer");
  const past = nowSeconds() - 3_600;
  return [
    { name: "expired", token: await signWith(key, header, { ...valid, iat: past - 900, exp: past }) },
    {
      name: "not yet valid",
      token: await signWith(key, header, { ...valid, nbf: nowSeconds() + 3_600, exp: nowSeconds() + 4_000 }),
    },
    { name: "a wrong issuer", token: await signWith(key, header, { ...valid, iss: "someone-else" }) },
    { name: "a wrong audience", token: await signWith(key, header, { ...valid, aud: "another-app" }) },
    { name: "no role", token: await signWith(key, header, { ...valid, role: undefined }) },
  ];
}

/** A token with good claims signed by `key`: the control that shows the service's key is `key`. */
export function validToken(key: KeyObject | CryptoKey, kid: string, subject: string): Promise<string> {
  return signWith(key, { alg: "ES256", kid, typ: "JWT" }, plausibleClaims(subject, "customer"));
}
