import type { BookDelta, LevelState } from "./market-feed.js";

/**
 * The book changes a reader has not taken yet, merged: one entry per level in its last state, covering the
 * deltas firstSequence..sequence. It holds at most `maxLevels` levels; past that (or when a delta does not
 * continue the sequence) it gives up and the reader gets a fresh snapshot instead, so its memory is bounded
 * by the book's size whatever the reader's speed.
 */
export class PendingDelta {
  private readonly changes = new Map<string, LevelState>();
  private firstSequence = 0n;
  private lastSequence: bigint;
  private asOf = new Date(0);

  constructor(
    private readonly market: string,
    /** The sequence the reader has (or will have, once the queued message is sent). */
    sequence: bigint,
  ) {
    this.lastSequence = sequence;
  }

  get isEmpty(): boolean {
    return this.changes.size === 0 && this.firstSequence === 0n;
  }

  /** Merges `delta`; false when it cannot (it does not continue the sequence, or too many levels). */
  merge(delta: BookDelta, maxLevels: number): boolean {
    if (delta.firstSequence !== this.lastSequence + 1n) return false;
    if (this.isEmpty) this.firstSequence = delta.firstSequence;
    for (const change of delta.changes) {
      this.changes.set(`${change.side}@${change.price}`, change);
    }
    this.lastSequence = delta.sequence;
    this.asOf = delta.asOf;
    return this.changes.size <= maxLevels;
  }

  /** The merged delta, and starts over after it; undefined when nothing is pending. */
  take(): BookDelta | undefined {
    if (this.isEmpty) return undefined;
    const delta: BookDelta = {
      market: this.market,
      firstSequence: this.firstSequence,
      sequence: this.lastSequence,
      changes: [...this.changes.values()],
      asOf: this.asOf,
    };
    this.changes.clear();
    this.firstSequence = 0n;
    return delta;
  }
}
