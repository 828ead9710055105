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
        await this.store(await this.options.source.coinsMarkets(batch, signal));
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
        await this.store(await this.options.source.simplePrice(batch));
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

  private logFailure(message: string, error: unknown): void {
    const outcome = error instanceof CoinGeckoError ? error.outcome : "error";
    this.options.logger.warn({ outcome, err: error instanceof CoinGeckoError ? undefined : error }, message);
  }
}
