import { createLocalJWKSet, errors, type JSONWebKeySet, type JWTVerifyGetKey } from "jose";

/** No key was ever loaded from the JWKS URL: tokens cannot be checked at all (not: this token is bad). */
export class KeySetUnavailableError extends Error {
  constructor(url: URL, cause?: unknown) {
    super(`no signing keys loaded yet from ${url.href}`, { cause });
    this.name = "KeySetUnavailableError";
  }
}

export interface RemoteKeySetOptions {
  readonly url: URL;
  /** How long fetched keys count as fresh; after that they are fetched again in the background. */
  readonly maxAgeMs?: number;
  /**
   * Least time between two fetches prompted by a token naming an unknown `kid`, so that made-up `kid`s
   * cannot make us hammer the users service. Signers publish a new key before signing with it.
   */
  readonly unknownKidCooldownMs?: number;
  /** Wait after the first failed fetch; it doubles with each further failure, up to `retryMaxMs`. */
  readonly retryBaseMs?: number;
  readonly retryMaxMs?: number;
  readonly timeoutMs?: number;
  /** The clock (epoch milliseconds); tests pass their own. */
  readonly now?: () => number;
}

/** A JWKS is a few keys; anything much larger is not one. */
const MAX_JWKS_BYTES = 256 * 1024;

async function readCapped(response: Response): Promise<string> {
  if (!response.body) return "";
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of response.body) {
    size += chunk.byteLength;
    if (size > MAX_JWKS_BYTES) throw new Error(`the JWKS is larger than ${MAX_JWKS_BYTES} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString("utf8");
}

async function fetchKeySet(url: URL, timeoutMs: number): Promise<JWTVerifyGetKey> {
  const response = await fetch(url, {
    redirect: "error",
    headers: { accept: "application/jwk-set+json, application/json" },
    signal: AbortSignal.timeout(timeoutMs),
  });
  if (!response.ok) throw new Error(`the JWKS answered HTTP ${response.status}`);
  const jwks = JSON.parse(await readCapped(response)) as JSONWebKeySet;
  const keys = createLocalJWKSet(jwks);
  // An empty set would refuse every token; keeping the keys we have is safer.
  if (jwks.keys.length === 0) throw new Error("the JWKS has no keys");
  return keys;
}

/**
 * The users service's published keys, fetched from its JWKS URL, for `jwtVerify`. Unlike a plain
 * cache it keeps serving the last good keys when a fetch fails (stale-if-error), refreshes stale keys
 * in the background, backs off failed fetches exponentially (capped), lets concurrent verifications
 * share one fetch, and fetches again for an unknown `kid` at most once per cooldown. It refuses with
 * KeySetUnavailableError only while no key set was ever loaded.
 */
export function createRemoteKeySet(options: RemoteKeySetOptions): JWTVerifyGetKey {
  const now = options.now ?? Date.now;
  const maxAgeMs = options.maxAgeMs ?? 5 * 60_000;
  const cooldownMs = options.unknownKidCooldownMs ?? 30_000;
  const retryBaseMs = options.retryBaseMs ?? 1_000;
  const retryMaxMs = options.retryMaxMs ?? 60_000;
  const timeoutMs = options.timeoutMs ?? 5_000;

  let keys: JWTVerifyGetKey | undefined;
  let fetchedAt = Number.NEGATIVE_INFINITY;
  let inFlight: Promise<void> | undefined;
  let failures = 0;
  let retryAt = Number.NEGATIVE_INFINITY;
  let lastFailure: unknown;
  let lastUnknownKidFetch = Number.NEGATIVE_INFINITY;

  const backedOff = () => now() < retryAt;

  /** One fetch at a time; a failure never throws here, it only moves the next attempt away. */
  function refresh(): Promise<void> {
    inFlight ??= fetchKeySet(options.url, timeoutMs)
      .then(
        (loaded) => {
          keys = loaded;
          fetchedAt = now();
          failures = 0;
          retryAt = Number.NEGATIVE_INFINITY;
        },
        (error: unknown) => {
          lastFailure = error;
          failures += 1;
          retryAt = now() + Math.min(retryBaseMs * 2 ** (failures - 1), retryMaxMs);
        },
      )
      .finally(() => {
        inFlight = undefined;
      });
    return inFlight;
  }

  return async (header, token) => {
    if (!keys) {
      if (inFlight || !backedOff()) await refresh();
      if (!keys) throw new KeySetUnavailableError(options.url, lastFailure);
    } else if (now() - fetchedAt >= maxAgeMs && !inFlight && !backedOff()) {
      void refresh();
    }
    const current: JWTVerifyGetKey = keys;
    try {
      return await current(header, token);
    } catch (error) {
      const mayRefetch = now() - lastUnknownKidFetch >= cooldownMs && !backedOff();
      if (!(error instanceof errors.JWKSNoMatchingKey) || !mayRefetch) throw error;
      lastUnknownKidFetch = now();
      await refresh();
      return (keys ?? current)(header, token);
    }
  };
}
