import type { MarketDataMetrics } from "./market-data-metrics.js";
import type { BookDelta, BookSnapshot, MarketFeed, MarketFeedEvent } from "./market-feed.js";
import { PendingDelta } from "./pending-delta.js";
import { Wakeup } from "./wakeup.js";

export type BookMessage =
  | { readonly kind: "snapshot"; readonly book: BookSnapshot }
  | { readonly kind: "delta"; readonly delta: BookDelta };

/**
 * One StreamOrderBook reader: a snapshot, then deltas continuing its sequence. Events arriving while the
 * reader has not taken the last message (its transport is full, or it is between sends) are merged into one
 * pending delta, so the reader never holds more than one pending state per level; when they cannot be merged
 * (a new owner's snapshot, a sequence that does not follow, more than `maxPendingLevels` levels) the next
 * message is a fresh snapshot. Ends when `signal` aborts.
 */
export async function* bookStream(
  feed: MarketFeed,
  signal: AbortSignal,
  maxPendingLevels: number,
  metrics: MarketDataMetrics,
): AsyncGenerator<BookMessage> {
  const wakeup = new Wakeup();
  let snapshot = feed.book();
  let pending = new PendingDelta(feed.market, snapshot.sequence);
  let resnapshot = false;
  const listener = (event: MarketFeedEvent) => {
    if (resnapshot) return;
    if (event.kind === "snapshot") {
      resnapshot = true;
    } else if (event.delta !== undefined) {
      const merging = !pending.isEmpty;
      if (!pending.merge(event.delta, maxPendingLevels)) resnapshot = true;
      else if (merging) metrics.conflated.inc();
    } else {
      return;
    }
    wakeup.notify();
  };
  // Subscribed in the same turn as the snapshot was taken: the next event continues it.
  const unsubscribe = feed.subscribe(listener);
  try {
    yield { kind: "snapshot", book: snapshot };
    while (!signal.aborted) {
      await wakeup.wait(signal);
      if (signal.aborted) return;
      if (resnapshot) {
        snapshot = feed.book();
        pending = new PendingDelta(feed.market, snapshot.sequence);
        resnapshot = false;
        yield { kind: "snapshot", book: snapshot };
        continue;
      }
      const delta = pending.take();
      if (delta !== undefined) yield { kind: "delta", delta };
    }
  } finally {
    unsubscribe();
  }
}
