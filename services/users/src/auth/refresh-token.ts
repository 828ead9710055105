import { createHash, randomBytes } from "node:crypto";

/** 256 random bits, base64url: too much entropy to guess, so a plain SHA-256 is a safe stored form. */
export const newRefreshToken = (): string => randomBytes(32).toString("base64url");

/** What the table keeps instead of the token. */
export const refreshTokenHash = (token: string): string => createHash("sha256").update(token).digest("hex");

/** Tokens this service issues have exactly this shape; anything else is unknown without a lookup. */
export const isWellFormedRefreshToken = (token: string): boolean => /^[A-Za-z0-9_-]{43}$/.test(token);
