import type { BookDelta, MarketFeed, MarketFeedEvent } from "./market-feed.js";
import { PendingDelta } from "./pending-delta.js";

/** Readers handed a tick in one turn of the event loop. */
const READERS_PER_TURN = 16;

/** A reader of a market's shared ticks: handed each tick's delta, or told to start over from a snapshot. */
export interface TickReader {
  delta(delta: BookDelta): void;
  resnapshot(): void;
}

/**
 * One market's book changes merged once for all its paced readers: every `intervalMs` the changes since the
 * last tick become one delta, and the same object is handed to every reader, so a tick costs one merge
 * however many read (and the message made from it can be shared too). Readers that have not taken the last
 * tick merge the next into their own copy. Runs while it has readers.
 */
export class SharedBookTicks {
  private readonly readers = new Set<TickReader>();
  private pending: PendingDelta;
  private readonly unsubscribe: () => void;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly feed: MarketFeed,
    intervalMs: number,
    private readonly maxPendingLevels: number,
    private readonly onIdle: () => void,
  ) {
    this.pending = new PendingDelta(feed.market, feed.book().sequence);
    this.unsubscribe = feed.subscribe((event) => this.event(event));
    this.timer = setInterval(() => this.tick(), intervalMs);
    this.timer.unref();
  }

  /** Adds a reader; the returned function removes it, and the last one out stops the ticks. */
  join(reader: TickReader): () => void {
    this.readers.add(reader);
    return () => {
      this.readers.delete(reader);
      if (this.readers.size > 0) return;
      clearInterval(this.timer);
      this.unsubscribe();
      this.onIdle();
    };
  }

  private event(event: MarketFeedEvent): void {
    if (event.kind === "snapshot") {
      this.restart(event.book.sequence);
    } else if (event.delta !== undefined && !this.pending.merge(event.delta, this.maxPendingLevels)) {
      this.restart(this.feed.book().sequence);
    }
  }

  /** The changes cannot go on as deltas (a new owner, a burst past the bound): every reader re-snapshots. */
  private restart(sequence: bigint): void {
    this.pending = new PendingDelta(this.feed.market, sequence);
    for (const reader of this.readers) reader.resnapshot();
  }

  /**
   * Hands the tick to the readers a few at a time, one turn of the event loop each: every reader given a
   * delta encodes and writes it in the microtasks that follow, and hundreds at once would hold up the
   * orders waiting for that loop for as long. Turns run in order, so no reader gets a tick before the last.
   */
  private tick(): void {
    const delta = this.pending.take();
    if (delta === undefined) return;
    const readers = [...this.readers];
    const handOut = (from: number) => {
      for (const reader of readers.slice(from, from + READERS_PER_TURN)) {
        if (this.readers.has(reader)) reader.delta(delta);
      }
      if (from + READERS_PER_TURN < readers.length) setImmediate(handOut, from + READERS_PER_TURN);
    };
    handOut(0);
  }
}
