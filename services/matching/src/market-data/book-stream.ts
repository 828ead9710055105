import { SharedBookTicks, type TickReader } from "./book-ticks.js";
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
  /**
   * MARKETDATA_BOOK_INTERVAL_MS: the least time between two deltas to a reader that asks for no interval of
   * its own (0: as fast as it reads).
   */
  readonly intervalMs: number;
}

/**
 * Opens StreamOrderBook readers. Paced (the default), the readers of a market at one interval share its
 * ticks: a delta at most every interval (as Binance's `@depth@100ms`), merged once and handed to all of them,
 * which bounds what readers cost the process matching runs in, however fast the book moves. Unpaced, each
 * reader gets its own changes as fast as it takes them.
 */
export class BookStreams {
  private readonly ticks = new WeakMap<MarketFeed, Map<number, SharedBookTicks>>();

  constructor(
    private readonly pacing: BookStreamPacing,
    private readonly metrics: MarketDataMetrics,
  ) {}

  /** A reader of `feed`, at its own `intervalMs` when it asked for one. */
  open(
    feed: MarketFeed,
    signal: AbortSignal,
    intervalMs = this.pacing.intervalMs,
  ): AsyncGenerator<BookMessage> {
    const { maxPendingLevels } = this.pacing;
    if (intervalMs === 0) return bookStream(feed, signal, maxPendingLevels, this.metrics);
    let byInterval = this.ticks.get(feed);
    if (byInterval === undefined) {
      byInterval = new Map();
      this.ticks.set(feed, byInterval);
    }
    let ticks = byInterval.get(intervalMs);
    if (ticks === undefined) {
      const shared = byInterval;
      const created = new SharedBookTicks(feed, intervalMs, maxPendingLevels, () => {
        if (shared.get(intervalMs) === created) shared.delete(intervalMs);
      });
      byInterval.set(intervalMs, created);
      ticks = created;
    }
    return tickedBookStream(feed, ticks, signal, maxPendingLevels, this.metrics);
  }
}

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

/**
 * A paced reader: a snapshot, then the market's shared ticks. A tick that starts before the reader's
 * sequence (it joined between two ticks) is sent from the reader's sequence on: its levels are in their
 * state at the tick's end, so applying them to the reader's book gives the book at that point. A tick the
 * reader has not taken yet when the next comes is merged with it, bounded like `bookStream`'s.
 */
async function* tickedBookStream(
  feed: MarketFeed,
  ticks: SharedBookTicks,
  signal: AbortSignal,
  maxPendingLevels: number,
  metrics: MarketDataMetrics,
): AsyncGenerator<BookMessage> {
  const wakeup = new Wakeup();
  let snapshot = feed.book();
  /** The sequence the reader has once it took what is queued. */
  let have = snapshot.sequence;
  let queued: BookDelta | undefined;
  let resnapshot = false;
  const reader: TickReader = {
    delta(delta) {
      if (resnapshot || delta.sequence <= have) return;
      if (delta.firstSequence > have + 1n) {
        reader.resnapshot();
        return;
      }
      const next = delta.firstSequence === have + 1n ? delta : { ...delta, firstSequence: have + 1n };
      if (queued === undefined) {
        queued = next;
      } else {
        const merged = new PendingDelta(feed.market, queued.firstSequence - 1n);
        if (!merged.merge(queued, maxPendingLevels) || !merged.merge(next, maxPendingLevels)) {
          reader.resnapshot();
          return;
        }
        queued = merged.take();
        metrics.conflated.inc();
      }
      have = delta.sequence;
      wakeup.notify();
    },
    resnapshot() {
      resnapshot = true;
      queued = undefined;
      wakeup.notify();
    },
  };
  // Joined in the same turn as the snapshot was taken: every later tick continues it.
  const leave = ticks.join(reader);
  try {
    yield { kind: "snapshot", book: snapshot };
    while (!signal.aborted) {
      await wakeup.wait(signal);
      if (signal.aborted) return;
      if (resnapshot) {
        snapshot = feed.book();
        have = snapshot.sequence;
        resnapshot = false;
        yield { kind: "snapshot", book: snapshot };
        continue;
      }
      const delta = queued;
      queued = undefined;
      if (delta !== undefined) yield { kind: "delta", delta };
    }
  } finally {
    leave();
  }
}
