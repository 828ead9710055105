/**
 * Exponential backoff with "equal jitter": attempt n waits between half and all of min(max, base x 2^n),
 * so delays still grow while retries from many clients spread out.
 */
export function backoffDelay(attempt: number, baseMs: number, maxMs: number, random: () => number): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** attempt);
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

/**
 * The wait a `Retry-After` header asks for, in milliseconds: delay-seconds or an HTTP date. Undefined when
 * the header is absent or unreadable; never negative.
 */
export function parseRetryAfter(header: string | null, nowMs: number): number | undefined {
  if (header === null) return undefined;
  const text = header.trim();
  if (/^[0-9]+$/.test(text)) return Number(text) * 1000;
  // HTTP dates are always in GMT ("Mon, 30 Jun 2025 12:00:05 GMT"); anything else is not one.
  const date = text.endsWith("GMT") ? Date.parse(text) : Number.NaN;
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - nowMs);
}
