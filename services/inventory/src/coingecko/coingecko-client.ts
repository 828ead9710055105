import { setTimeout as sleepFor } from "node:timers/promises";
import type { Logger } from "@bourse/common";
import {
  BrokenCircuitError,
  type CircuitBreakerPolicy,
  CircuitState,
  ConsecutiveBreaker,
  circuitBreaker,
  handleWhen,
} from "cockatiel";
import { ZodError, z } from "zod";
import { CoinGeckoError, type CoinGeckoOutcome, isRetryable, isUpstreamFailure } from "./coingecko-error.js";
import { parseJsonExact } from "./exact-json.js";
import { RequestBudget } from "./request-budget.js";
import { type CoinGeckoQuote, parseCoinsMarkets, parseSimplePrice } from "./responses.js";
import { backoffDelay, parseRetryAfter } from "./retry-timing.js";

export type CoinGeckoPlan = "public" | "demo" | "pro";

export interface CoinGeckoClientOptions {
  /** e.g. https://api.coingecko.com/api/v3 (public and demo) or https://pro-api.coingecko.com/api/v3 (pro). */
  readonly baseUrl: string;
  /** Sent as `x-cg-demo-api-key` or `x-cg-pro-api-key` by plan; never logged. */
  readonly apiKey?: string;
  readonly plan: CoinGeckoPlan;
  /** Per request, body included. */
  readonly timeoutMs: number;
  /** A response body longer than this is refused as soon as it passes it, never read whole. */
  readonly maxBodyBytes: number;
  /** Attempts per call, the first included. */
  readonly maxAttempts: number;
  readonly backoffBaseMs: number;
  readonly backoffMaxMs: number;
  /** A Retry-After up to this long is waited out within the call; a longer one fails the call and blocks
   * every request until it has passed. */
  readonly retryAfterMaxWaitMs: number;
  readonly budget: { readonly requests: number; readonly windowMs: number };
  readonly breaker: { readonly consecutiveFailures: number; readonly halfOpenAfterMs: number };
  readonly logger: Logger;
  /** Told how each request ended, for metrics. */
  readonly onOutcome?: (endpoint: string, outcome: CoinGeckoOutcome) => void;
  readonly now?: () => number;
  readonly random?: () => number;
  /** How the client waits between attempts; tests record the delays instead of sleeping. */
  readonly sleep?: (ms: number, signal: AbortSignal | undefined) => Promise<void>;
  readonly fetch?: typeof fetch;
}

/** CoinGecko allows up to 250 ids per `/coins/markets` page; `/simple/price` takes as many. */
export const MAX_IDS_PER_REQUEST = 250;

const defaultSleep = (ms: number, signal: AbortSignal | undefined) =>
  sleepFor(ms, undefined, signal ? { signal } : undefined);

/**
 * A client for CoinGecko's public REST API, no SDK. Every call goes through, in order: a local block while a
 * long Retry-After lasts, the circuit breaker (cockatiel; opens after consecutive upstream failures, probes
 * again after a pause), the request budget, and a request with a timeout whose response must parse exactly
 * and match the expected shape. Retryable failures (429, 5xx, timeouts, network errors) are retried with
 * exponential backoff and jitter, or after the Retry-After a 429 asks for.
 */
export class CoinGeckoClient {
  private readonly breaker: CircuitBreakerPolicy;
  private readonly budget: RequestBudget;
  private readonly now: () => number;
  private readonly random: () => number;
  private readonly sleep: (ms: number, signal: AbortSignal | undefined) => Promise<void>;
  private readonly fetch: typeof fetch;
  private blockedUntil = 0;

  constructor(private readonly options: CoinGeckoClientOptions) {
    this.now = options.now ?? Date.now;
    this.random = options.random ?? Math.random;
    this.sleep = options.sleep ?? defaultSleep;
    this.fetch = options.fetch ?? fetch;
    this.budget = new RequestBudget(options.budget.requests, options.budget.windowMs, this.now);
    this.breaker = circuitBreaker(handleWhen(isUpstreamFailure), {
      halfOpenAfter: options.breaker.halfOpenAfterMs,
      breaker: new ConsecutiveBreaker(options.breaker.consecutiveFailures),
    });
    // The refresher logs when CoinGecko becomes unreachable and when it is back; the breaker's own
    // transitions repeat at every failed probe, so they stay at debug.
    this.breaker.onBreak(() => options.logger.debug("coingecko circuit breaker opened"));
    this.breaker.onReset(() => options.logger.debug("coingecko circuit breaker closed"));
  }

  /** Prices, 24h changes and update times of up to 250 coins, from `/coins/markets`. */
  coinsMarkets(ids: readonly string[], signal?: AbortSignal): Promise<CoinGeckoQuote[]> {
    const query = new URLSearchParams({
      vs_currency: "usd",
      ids: checkIds(ids),
      per_page: String(MAX_IDS_PER_REQUEST),
      page: "1",
      precision: "full",
    });
    return this.call("/coins/markets", query, parseCoinsMarkets, signal);
  }

  /** Prices, 24h changes and update times of the given coins, from `/simple/price`. */
  simplePrice(ids: readonly string[], signal?: AbortSignal): Promise<CoinGeckoQuote[]> {
    const query = new URLSearchParams({
      ids: checkIds(ids),
      vs_currencies: "usd",
      include_24hr_change: "true",
      include_last_updated_at: "true",
      precision: "full",
    });
    return this.call("/simple/price", query, parseSimplePrice, signal);
  }

  /** True while the breaker refuses calls. */
  get circuitOpen(): boolean {
    return this.breaker.state === CircuitState.Open;
  }

  private async call<T>(
    endpoint: string,
    query: URLSearchParams,
    parse: (body: unknown) => T,
    signal: AbortSignal | undefined,
  ): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.attempt(endpoint, query, parse, signal);
      } catch (error) {
        if (!(error instanceof CoinGeckoError)) throw error;
        this.options.onOutcome?.(endpoint, error.outcome);
        if (!isRetryable(error) || attempt + 1 >= this.options.maxAttempts) throw error;
        const delay =
          error.retryAfterMs ??
          backoffDelay(attempt, this.options.backoffBaseMs, this.options.backoffMaxMs, this.random);
        if (error.retryAfterMs !== undefined && error.retryAfterMs > this.options.retryAfterMaxWaitMs)
          throw error;
        this.options.logger.debug(
          { endpoint, outcome: error.outcome, attempt, delay_ms: delay },
          "retrying coingecko",
        );
        await this.sleep(delay, signal);
      }
    }
  }

  private async attempt<T>(
    endpoint: string,
    query: URLSearchParams,
    parse: (body: unknown) => T,
    signal: AbortSignal | undefined,
  ): Promise<T> {
    const waitMs = this.blockedUntil - this.now();
    if (waitMs > 0) {
      throw new CoinGeckoError("backing_off", `coingecko asked us to wait ${waitMs} ms more`, {
        retryAfterMs: waitMs,
      });
    }
    try {
      const result = await this.breaker.execute(() => {
        if (!this.budget.tryTake()) {
          throw new CoinGeckoError("budget_exhausted", "coingecko request budget exhausted for this window");
        }
        return this.request(endpoint, query, parse, signal);
      });
      this.options.onOutcome?.(endpoint, "ok");
      return result;
    } catch (error) {
      if (error instanceof BrokenCircuitError) {
        throw new CoinGeckoError("circuit_open", "coingecko circuit breaker is open", { cause: error });
      }
      throw error;
    }
  }

  private async request<T>(
    endpoint: string,
    query: URLSearchParams,
    parse: (body: unknown) => T,
    signal: AbortSignal | undefined,
  ): Promise<T> {
    const timeout = AbortSignal.timeout(this.options.timeoutMs);
    const url = `${this.options.baseUrl}${endpoint}?${query}`;
    let text: string;
    let response: Response;
    try {
      // A redirect is never followed: it could carry the API key to another origin.
      response = await this.fetch(url, {
        headers: this.headers(),
        redirect: "error",
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
      text = await this.readBody(response);
    } catch (error) {
      if (error instanceof CoinGeckoError || signal?.aborted) throw error;
      if (timeout.aborted) {
        throw new CoinGeckoError("timeout", `no answer within ${this.options.timeoutMs} ms`, {
          cause: error,
        });
      }
      if (isRedirectRefusal(error)) {
        throw new CoinGeckoError(
          "redirected",
          "coingecko answered with a redirect, which is never followed",
          {
            cause: error,
          },
        );
      }
      throw new CoinGeckoError("network_error", "coingecko unreachable", { cause: error });
    }
    if (response.status === 429) {
      const retryAfterMs = parseRetryAfter(response.headers.get("retry-after"), this.now());
      if (retryAfterMs !== undefined)
        this.blockedUntil = Math.max(this.blockedUntil, this.now() + retryAfterMs);
      throw new CoinGeckoError("rate_limited", "coingecko rate limit (429)", { retryAfterMs });
    }
    if (response.status >= 500)
      throw new CoinGeckoError("server_error", `coingecko answered ${response.status}`);
    if (response.status !== 200)
      throw new CoinGeckoError("client_error", `coingecko answered ${response.status}`);
    return this.parseBody(endpoint, text, parse);
  }

  /** The body as text, read chunk by chunk and abandoned once it passes `maxBodyBytes`. */
  private async readBody(response: Response): Promise<string> {
    const limit = this.options.maxBodyBytes;
    const tooLarge = () =>
      new CoinGeckoError("too_large", `coingecko response body over ${limit} bytes, refused`);
    if (Number(response.headers.get("content-length")) > limit) {
      await response.body?.cancel();
      throw tooLarge();
    }
    if (response.body === null) return "";
    const reader = response.body.getReader();
    const chunks: Uint8Array[] = [];
    let size = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > limit) {
        await reader.cancel();
        throw tooLarge();
      }
      chunks.push(value);
    }
    return new TextDecoder().decode(Buffer.concat(chunks));
  }

  private parseBody<T>(endpoint: string, text: string, parse: (body: unknown) => T): T {
    let reason: string;
    try {
      return parse(parseJsonExact(text));
    } catch (error) {
      reason = error instanceof ZodError ? z.prettifyError(error) : `not JSON: ${(error as Error).message}`;
    }
    this.options.logger.warn(
      { endpoint, reason, body_prefix: text.slice(0, 200) },
      "coingecko response rejected",
    );
    throw new CoinGeckoError("malformed", `malformed coingecko response: ${reason}`);
  }

  private headers(): Record<string, string> {
    const headers: Record<string, string> = { accept: "application/json" };
    const { apiKey, plan } = this.options;
    if (apiKey && plan === "demo") headers["x-cg-demo-api-key"] = apiKey;
    if (apiKey && plan === "pro") headers["x-cg-pro-api-key"] = apiKey;
    return headers;
  }
}

/** How fetch reports a redirect under `redirect: "error"`: a TypeError caused by "unexpected redirect". */
function isRedirectRefusal(error: unknown): boolean {
  return error instanceof TypeError && error.cause instanceof Error && /redirect/i.test(error.cause.message);
}

function checkIds(ids: readonly string[]): string {
  if (ids.length === 0 || ids.length > MAX_IDS_PER_REQUEST) {
    throw new RangeError(`between 1 and ${MAX_IDS_PER_REQUEST} coin ids per request`);
  }
  return ids.join(",");
}
