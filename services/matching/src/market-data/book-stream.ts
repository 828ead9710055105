import { setTimeout as sleep } from "node:timers/promises";
import type { MarketDataMetrics } from "./market-data-metrics.js";
import type { BookDelta, BookSnapshot, MarketFeed, MarketFeedEvent } from "./market-feed.js";
import { PendingDelta } from "./pending-delta.js";
import { Wakeup } from "./wakeup.js";

export type BookMessage =
  | { readonly kind: "snapshot"; readonly book: BookSnapshot }
  | { readonly kind: "delta"; readonly delta: BookDelta };

export interface BookStreamPacing {
  /** MARKETDATA_MAX_PENDING_LEVELS: past this many pending levels the reader gets a fresh snapshot instead. */
  readonly maxPendingLevels: number;
  /** MARKETDATA_BOOK_INTERVAL_MS: the least time between two deltas to one reader (0: as fast as it reads). */
  readonly intervalMs: number;
}

/**
 * One StreamOrderBook reader: a snapshot, then deltas continuing its sequence. Events arriving while the
 * reader has not taken the last message (its transport is full, it is between sends, or its interval has not
 * passed) are merged into one pending delta, so the reader never holds more than one pending state per level;
 * when they cannot be merged (a new owner's snapshot, a sequence that does not follow, more than
 * `maxPendingLevels` levels) the next message is a fresh snapshot. A delta at most every `intervalMs` (as
 * Binance's `@depth@100ms`) bounds what a reader costs the process matching runs in, however fast the book
 * moves: each send is a message encoded and written for that reader alone. Ends when `signal` aborts.
 */
export async function* bookStream(
  feed: MarketFeed,
  signal: AbortSignal,
  pacing: BookStreamPacing,
  metrics: MarketDataMetrics,
): AsyncGenerator<BookMessage> {
  const { maxPendingLevels, intervalMs } = pacing;
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
      if (delta === undefined) continue;
      yield { kind: "delta", delta };
      if (intervalMs > 0 && !(await pause(intervalMs, signal))) return;
    }
  } finally {
    unsubscribe();
  }
}

/** Waits `ms`; false when `signal` aborted meanwhile. */
async function pause(ms: number, signal: AbortSignal): Promise<boolean> {
  try {
    await sleep(ms, undefined, { signal });
    return true;
  } catch {
    return false;
  }
}
