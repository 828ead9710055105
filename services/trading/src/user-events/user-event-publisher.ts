import type { UserEventLog, UserEventToAppend } from "./user-event-log.js";

export interface UserEventPublisherOptions {
  /** Events waiting for the log beyond which new ones are dropped (the log is unreachable); default 100,000. */
  readonly maxQueued?: number;
  /** Told of every append that failed or was dropped, with how many events were lost: log and count it. */
  readonly lost: (count: number, error: unknown) => void;
}

interface Queued {
  readonly events: readonly UserEventToAppend[];
  readonly done: () => void;
}

/**
 * Feeds the log without making its producer wait: `publish` returns at once, and what waits is sent in one
 * append per round, one round at a time, so that events reach the log in publish order. A failed append
 * loses its round's events, reported (never thrown): the log never numbered them, so clients see no gap,
 * and the order's next update, or a re-read, brings them up to date.
 */
export class UserEventPublisher {
  private queue: Queued[] = [];
  private queued = 0;
  private sending = false;
  private readonly maxQueued: number;

  constructor(
    private readonly log: UserEventLog,
    private readonly options: UserEventPublisherOptions,
  ) {
    this.maxQueued = options.maxQueued ?? 100_000;
  }

  /** Resolves once the events are in the log, or lost and reported; never rejects. */
  publish(events: readonly UserEventToAppend[]): Promise<void> {
    if (events.length === 0) return Promise.resolve();
    if (this.queued + events.length > this.maxQueued) {
      this.options.lost(events.length, new Error("the user event log is not keeping up; events dropped"));
      return Promise.resolve();
    }
    return new Promise((done) => {
      this.queue.push({ events, done });
      this.queued += events.length;
      if (!this.sending) void this.send();
    });
  }

  private async send(): Promise<void> {
    this.sending = true;
    while (this.queue.length > 0) {
      const round = this.queue;
      this.queue = [];
      const events = round.flatMap((queued) => queued.events);
      try {
        await this.log.append(events);
      } catch (error) {
        this.options.lost(events.length, error);
      }
      this.queued -= events.length;
      for (const queued of round) queued.done();
    }
    this.sending = false;
  }
}
