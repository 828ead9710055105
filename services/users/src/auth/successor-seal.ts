import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";
import type { IssuedTokens } from "./auth-flows.js";

/**
 * The pair a refresh issued, kept on the spent token's record so that a repeat of the same refresh
 * (a double submit, a retry after a lost answer) within the reuse interval gets that pair again instead
 * of revoking the session.
 *
 * The new refresh token must not be readable from the table, so the pair is encrypted (AES-256-GCM)
 * under a key derived (HKDF-SHA256) from the *presented* token. Only someone holding that token can open
 * it: the table stores the token's SHA-256 alone, which does not give the key, and no server secret is
 * needed, so every replica can open what another sealed. The next token stays random, so presenting a
 * spent token after the interval is still detected as reuse.
 */
const KEY_INFO = "bourse refresh-token successor v1";
const IV_BYTES = 12;
const TAG_BYTES = 16;

const keyOf = (presentedToken: string): Buffer =>
  Buffer.from(hkdfSync("sha256", presentedToken, Buffer.alloc(0), KEY_INFO, 32));

export function sealSuccessor(presentedToken: string, tokens: IssuedTokens): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", keyOf(presentedToken), iv);
  const plain = JSON.stringify({
    accessToken: tokens.accessToken,
    accessTokenExpiresAt: tokens.accessTokenExpiresAt.toISOString(),
    refreshToken: tokens.refreshToken,
    refreshTokenExpiresAt: tokens.refreshTokenExpiresAt.toISOString(),
  });
  const sealed = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString("base64url");
}

/** The sealed pair, or undefined when it does not open with this token (or is not a sealed pair). */
export function openSuccessor(presentedToken: string, sealed: string): IssuedTokens | undefined {
  const bytes = Buffer.from(sealed, "base64url");
  if (bytes.length <= IV_BYTES + TAG_BYTES) return undefined;
  try {
    const decipher = createDecipheriv("aes-256-gcm", keyOf(presentedToken), bytes.subarray(0, IV_BYTES));
    decipher.setAuthTag(bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    const plain = Buffer.concat([decipher.update(bytes.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]);
    const pair = JSON.parse(plain.toString("utf8"));
    return {
      accessToken: pair.accessToken,
      accessTokenExpiresAt: new Date(pair.accessTokenExpiresAt),
      refreshToken: pair.refreshToken,
      refreshTokenExpiresAt: new Date(pair.refreshTokenExpiresAt),
    };
  } catch {
    return undefined;
  }
}
