import { setTimeout as sleep } from "node:timers/promises";
import type { MarketFeed, MarketFeedEvent, TickerState } from "./market-feed.js";
import { Wakeup } from "./wakeup.js";

/**
 * One StreamTickers reader: every requested ticker first, then the tickers of the markets that changed (a
 * trade or a new best bid or ask), at most once per `intervalMs` for each, computed when sent, so a burst of
 * changes costs one ticker. Ends when `signal` aborts.
 */
export async function* tickerStream(
  feeds: readonly MarketFeed[],
  signal: AbortSignal,
  intervalMs: number,
  now: () => Date,
): AsyncGenerator<TickerState[]> {
  const wakeup = new Wakeup();
  const changed = new Set<MarketFeed>();
  const unsubscribes = feeds.map((feed) =>
    feed.subscribe((event: MarketFeedEvent) => {
      if (event.kind === "update" && event.ticker === undefined) return;
      changed.add(feed);
      wakeup.notify();
    }),
  );
  try {
    const first = now();
    yield feeds.map((feed) => feed.ticker(first));
    let sentAt = Date.now();
    while (!signal.aborted) {
      await wakeup.wait(signal);
      const wait = sentAt + intervalMs - Date.now();
      if (wait > 0) {
        try {
          await sleep(wait, undefined, { signal });
        } catch {
          return;
        }
      }
      if (signal.aborted || changed.size === 0) continue;
      const at = now();
      const tickers = [...changed].map((feed) => feed.ticker(at));
      changed.clear();
      sentAt = Date.now();
      yield tickers;
    }
  } finally {
    for (const unsubscribe of unsubscribes) unsubscribe();
  }
}
