/**
 * How one CoinGecko call ended, the label of `inventory_coingecko_requests_total`. The first group reached
 * CoinGecko; the second was decided locally without a request.
 */
export type CoinGeckoOutcome =
  | "ok"
  | "rate_limited"
  | "server_error"
  | "client_error"
  | "timeout"
  | "network_error"
  | "malformed"
  | "redirected"
  | "too_large"
  | "budget_exhausted"
  | "circuit_open"
  | "backing_off";

/** A failed CoinGecko call, with the outcome that ended it. */
export class CoinGeckoError extends Error {
  constructor(
    readonly outcome: Exclude<CoinGeckoOutcome, "ok">,
    message: string,
    options?: { cause?: unknown; retryAfterMs?: number },
  ) {
    super(message, options);
    this.name = "CoinGeckoError";
    this.retryAfterMs = options?.retryAfterMs;
  }

  /** For `rate_limited`: how long CoinGecko asked us to wait. */
  readonly retryAfterMs: number | undefined;
}

/** Failures that say CoinGecko is unhealthy and count toward opening the circuit breaker. */
export function isUpstreamFailure(error: unknown): boolean {
  return (
    error instanceof CoinGeckoError &&
    [
      "server_error",
      "client_error",
      "timeout",
      "network_error",
      "malformed",
      "redirected",
      "too_large",
    ].includes(error.outcome)
  );
}

/** Failures worth another attempt within the same call. */
export function isRetryable(error: CoinGeckoError): boolean {
  return ["rate_limited", "server_error", "timeout", "network_error"].includes(error.outcome);
}
