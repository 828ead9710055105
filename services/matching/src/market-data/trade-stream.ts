import { resourceExhausted } from "@bourse/common";
import type { MarketFeed, MarketFeedEvent, PublicTrade } from "./market-feed.js";
import { Wakeup } from "./wakeup.js";

/** Most trades in one StreamTrades message. */
const TRADES_PER_MESSAGE = 500;

/**
 * One StreamTrades reader: the market's trades as they commit, oldest first, in messages of at most 500.
 * Trades wait in a buffer of at most `maxBuffered` for the reader to take them; a reader that falls further
 * behind is ended with `resource_exhausted` (trades cannot be merged away), and `onDropped` is told.
 */
export async function* tradeStream(
  feed: MarketFeed,
  signal: AbortSignal,
  maxBuffered: number,
  onDropped: () => void,
): AsyncGenerator<PublicTrade[]> {
  const wakeup = new Wakeup();
  let buffered: PublicTrade[] = [];
  let overflowed = false;
  const listener = (event: MarketFeedEvent) => {
    if (event.kind !== "update" || event.trades.length === 0 || overflowed) return;
    if (buffered.length + event.trades.length > maxBuffered) {
      overflowed = true;
      buffered = [];
    } else {
      for (const trade of event.trades) buffered.push(trade);
    }
    wakeup.notify();
  };
  const unsubscribe = feed.subscribe(listener);
  try {
    while (!signal.aborted) {
      await wakeup.wait(signal);
      if (signal.aborted) return;
      if (overflowed) {
        onDropped();
        throw resourceExhausted(
          `this stream fell more than ${maxBuffered} trades behind; subscribe again and read ListRecentTrades`,
        );
      }
      while (buffered.length > 0) {
        const message = buffered.splice(0, TRADES_PER_MESSAGE);
        if (buffered.length > 0) wakeup.notify();
        yield message;
        if (overflowed || signal.aborted) break;
      }
    }
  } finally {
    unsubscribe();
  }
}
