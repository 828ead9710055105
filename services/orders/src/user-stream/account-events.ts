import { resourceExhausted } from "@bourse/common";
import type { UserEvent, UserEventLog } from "@bourse/trading/user-events";

/**
 * One StreamMyOrders reader's live events: subscribed before anything is replayed, so that nothing
 * appended after the replay's read is missed, and buffered up to `maxBuffered` events while the reader
 * sends the previous ones. A reader further behind is ended with `resource_exhausted`: it reconnects
 * with its last sequence and catches up from the log, instead of its backlog growing in memory here.
 */
export class AccountEvents {
  private buffered: UserEvent[] = [];
  private overflowed = false;
  private wake: (() => void) | undefined;
  private readonly subscription;

  constructor(
    log: UserEventLog,
    accountId: string,
    private readonly maxBuffered: number,
  ) {
    this.subscription = log.subscribe(accountId, (event) => {
      if (this.overflowed) return;
      if (this.buffered.length >= this.maxBuffered) {
        this.overflowed = true;
        this.buffered = [];
      } else {
        this.buffered.push(event);
      }
      this.wake?.();
    });
  }

  /** Resolves once every later append is heard. */
  get ready(): Promise<void> {
    return this.subscription.ready;
  }

  /** The live events, in order, until `signal` aborts; throws `resource_exhausted` once the buffer overflowed. */
  async *events(signal: AbortSignal): AsyncGenerator<UserEvent> {
    const aborted = () => this.wake?.();
    signal.addEventListener("abort", aborted);
    try {
      while (!signal.aborted) {
        if (this.overflowed) {
          throw resourceExhausted(
            `this stream fell more than ${this.maxBuffered} updates behind; reconnect with your last sequence`,
          );
        }
        const next = this.buffered.shift();
        if (next !== undefined) {
          yield next;
          continue;
        }
        await new Promise<void>((resolve) => {
          this.wake = resolve;
        });
        this.wake = undefined;
      }
    } finally {
      signal.removeEventListener("abort", aborted);
    }
  }

  close(): void {
    this.subscription.close();
    this.buffered = [];
  }
}
