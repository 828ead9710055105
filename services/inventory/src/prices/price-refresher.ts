import { setTimeout as sleep } from "node:timers/promises";
import type { Logger } from "@bourse/common";
import type { LockService } from "@bourse/common/locks";
import { CoinGeckoError } from "../coingecko/coingecko-error.js";
import type { CoinGeckoQuote } from "../coingecko/responses.js";
import type { CachedQuote } from "../domain/price.js";
import type { PriceCache } from "./price-cache.js";
import type { PriceMetrics } from "./price-metrics.js";

/** The two CoinGecko calls the refresher makes (CoinGeckoClient in production). */
export interface QuoteSource {
  coinsMarkets(ids: readonly string[], signal?: AbortSignal): Promise<CoinGeckoQuote[]>;
  simplePrice(ids: readonly string[], signal?: AbortSignal): Promise<CoinGeckoQuote[]>;
}

export interface PriceRefresherOptions {
  readonly source: QuoteSource;
  readonly cache: PriceCache;
  /** CoinGecko ids of every asset to keep priced (active, with an id), read afresh each cycle. */
  readonly coingeckoIds: () => Promise<string[]>;
  readonly intervalMs: number;
  /** An id revalidated on demand is not tried again sooner than this. */
  readonly revalidateCooldownMs: number;
  readonly locks: LockService;
  readonly logger: Logger;
  readonly metrics: PriceMetrics;
  readonly now: () => number;
}

const BATCH = 250;
const REFRESH_LOCK = "inventory:price-refresh";

function chunks<T>(items: readonly T[], size: number): T[][] {
  return Array.from({ length: Math.ceil(items.length / size) }, (_, index) =>
    items.slice(index * size, (index + 1) * size),
  );
}

/**
 * Keeps the price cache filled from CoinGecko: every interval it fetches `/coins/markets` for the whole
 * catalogue (one request per 250 assets), and on demand it revalidates stale or missing prices through
 * `/simple/price`, coalescing requests while one is in flight. Across instances, a lease from the lock port
 * lets one instance per interval do the scheduled refresh. Failures are logged and counted, never thrown: the
 * price chain falls back on its own.
 */
export class PriceRefresher {
  private readonly pending = new Set<string>();
  private readonly lastTried = new Map<string, number>();
  private inFlight: Promise<void> | undefined;
  /** Whether CoinGecko answered the last call; unknown until the first one. */
  private reachable: boolean | undefined;

  constructor(private readonly options: PriceRefresherOptions) {}

  /** Refreshes every `intervalMs` until `signal` aborts. */
  async run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      await this.scheduledRefresh(signal);
      try {
        await sleep(this.options.intervalMs, undefined, { signal });
      } catch {
        return;
      }
    }
  }

  /** One scheduled refresh, if this instance wins the interval's lease. */
  async scheduledRefresh(signal?: AbortSignal): Promise<void> {
    const lease = await this.options.locks.tryAcquire(REFRESH_LOCK, {
      ttlMs: Math.max(1, this.options.intervalMs),
    });
    if (lease === null) {
      this.options.metrics.refresh("skipped");
      return;
    }
    try {
      const ids = [...new Set(await this.options.coingeckoIds())];
      for (const batch of chunks(ids, BATCH))
        await this.store(await this.fromCoinGecko(() => this.options.source.coinsMarkets(batch, signal)));
      this.options.metrics.refresh("ok");
    } catch (error) {
      if (signal?.aborted) return;
      this.options.metrics.refresh("failed");
      this.logFailure("scheduled price refresh failed", error);
    }
  }

  /** Asks for fresh prices of these ids soon; returns at once (stale-while-revalidate). */
  revalidate(coingeckoIds: readonly string[]): void {
    const now = this.options.now();
    for (const id of coingeckoIds) {
      if (now - (this.lastTried.get(id) ?? Number.NEGATIVE_INFINITY) < this.options.revalidateCooldownMs)
        continue;
      this.lastTried.set(id, now);
      this.pending.add(id);
    }
    if (this.pending.size > 0 && this.inFlight === undefined) {
      this.inFlight = this.drain().finally(() => {
        this.inFlight = undefined;
      });
    }
  }

  /** Resolves once no revalidation is in flight; for tests and shutdown. */
  async settled(): Promise<void> {
    while (this.inFlight !== undefined) await this.inFlight;
  }

  private async drain(): Promise<void> {
    while (this.pending.size > 0) {
      const batch = [...this.pending].slice(0, BATCH);
      for (const id of batch) this.pending.delete(id);
      try {
        await this.store(await this.fromCoinGecko(() => this.options.source.simplePrice(batch)));
      } catch (error) {
        this.logFailure("price revalidation failed", error);
      }
    }
  }

  private async store(quotes: readonly CoinGeckoQuote[]): Promise<void> {
    const fetchedAt = this.options.now();
    const entries = new Map<string, CachedQuote>(
      quotes.map((quote) => [
        quote.coingeckoId,
        {
          price: quote.price,
          change24hPercent: quote.change24hPercent,
          observedAt: quote.observedAt ?? fetchedAt,
          fetchedAt,
        },
      ]),
    );
    await this.options.cache.put(entries);
  }

  /** Makes one call to CoinGecko and logs when it stops or starts answering. */
  private async fromCoinGecko(call: () => Promise<CoinGeckoQuote[]>): Promise<CoinGeckoQuote[]> {
    let quotes: CoinGeckoQuote[];
    try {
      quotes = await call();
    } catch (error) {
      if (error instanceof CoinGeckoError && error.outcome !== "budget_exhausted")
        this.noteUnreachable(error);
      throw error;
    }
    if (this.reachable === false) this.options.logger.info("CoinGecko reachable again");
    this.reachable = true;
    return quotes;
  }

  /**
   * Warns once when CoinGecko stops answering, with why; while it stays down, every refresh fails the same
   * way and the price chain already serves the fallbacks, so later failures are logged at debug only.
   */
  private noteUnreachable(error: CoinGeckoError): void {
    const fields = { outcome: error.outcome, cause: describeCause(error) };
    if (this.reachable === false) {
      this.options.logger.debug(fields, "CoinGecko still unreachable");
      return;
    }
    this.reachable = false;
    this.options.logger.warn(fields, "CoinGecko unreachable, serving cached, snapshot or simulated prices");
  }

  /** CoinGecko failures are logged by `noteUnreachable`; any other failure (the cache, the store) each time. */
  private logFailure(message: string, error: unknown): void {
    if (error instanceof CoinGeckoError) {
      if (error.outcome === "budget_exhausted")
        this.options.logger.debug({ outcome: error.outcome }, message);
      return;
    }
    this.options.logger.warn({ err: error }, message);
  }
}

/** The error's message and its lowest cause, e.g. `coingecko unreachable: connect ECONNREFUSED 127.0.0.1:443`. */
function describeCause(error: Error): string {
  let cause: unknown = error.cause;
  while (cause instanceof Error && cause.cause instanceof Error) cause = cause.cause;
  return cause instanceof Error ? `${error.message}: ${cause.message}` : error.message;
}
