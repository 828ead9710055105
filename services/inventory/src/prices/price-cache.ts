import type { Cache } from "@bourse/common/cache";
import { z } from "zod";
import type { CachedQuote } from "../domain/price.js";

const quoteSchema = z.object({
  price: z.string().regex(/^(0|[1-9][0-9]*)(\.[0-9]+)?$/),
  change24hPercent: z.string(),
  observedAt: z.number().int(),
  fetchedAt: z.number().int(),
});

/**
 * CoinGecko quotes in the cache port (Redis when configured, so every instance serves what any one fetched),
 * keyed by CoinGecko id: `<prefix>price:<id>`. Entries are kept for `retainMs`, far longer than they are
 * fresh, so that an expired quote can still anchor the simulated feed; freshness is judged from `fetchedAt`.
 */
export class PriceCache {
  constructor(
    private readonly cache: Cache,
    private readonly retainMs: number,
  ) {}

  async get(coingeckoIds: readonly string[]): Promise<Map<string, CachedQuote>> {
    const unique = [...new Set(coingeckoIds)];
    const values = await this.cache.getMany(unique.map((id) => `price:${id}`));
    const quotes = new Map<string, CachedQuote>();
    unique.forEach((id, index) => {
      const value = values[index];
      if (value === undefined) return;
      // An entry this version cannot read is treated as missing; the next refresh overwrites it.
      const parsed = quoteSchema.safeParse(safeJson(value));
      if (parsed.success) quotes.set(id, parsed.data);
    });
    return quotes;
  }

  async put(quotes: ReadonlyMap<string, CachedQuote>): Promise<void> {
    const entries = [...quotes].map(([id, quote]) => ({ key: `price:${id}`, value: JSON.stringify(quote) }));
    await this.cache.setMany(entries, this.retainMs);
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
