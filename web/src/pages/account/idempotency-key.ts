/**
 * A fresh key for one funding request, from the CSPRNG (crypto.randomUUID needs a secure context, which a
 * plain-HTTP deployment is not). 32 hex characters fit the API's 1-64 characters of [A-Za-z0-9_.:-].
 */
export function newIdempotencyKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
}
