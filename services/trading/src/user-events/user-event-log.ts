/**
 * Each account's log of execution reports (OrderService.StreamMyOrders): the orders and matching services
 * append, the stream replays what a reconnecting client missed and then follows the live appends. The log
 * assigns each account's sequence; a payload is an encoded OrderUpdate without it (order-update.ts).
 */
export interface UserEvent {
  /** The account's sequence: one more than the account's previous event. */
  readonly sequence: bigint;
  readonly payload: Uint8Array;
}

export interface UserEventToAppend {
  readonly accountId: string;
  readonly payload: Uint8Array;
}

/** What the log still holds of an account after a sequence. */
export type UserEventReplay =
  /** Every event after the sequence asked for (none when it is the latest). */
  | { readonly retained: true; readonly latest: bigint; readonly events: readonly UserEvent[] }
  /** Some events after it are no longer kept, or the sequence is unknown: the client must re-read its state. */
  | { readonly retained: false; readonly latest: bigint };

export interface UserEventSubscription {
  /** Resolves once every later append is heard. */
  readonly ready: Promise<void>;
  close(): void;
}

export interface UserEventLog {
  /**
   * Appends in the given order: each account's events get its next sequences, in that order. Resolves once
   * they are in the log and told to the live subscribers.
   */
  append(events: readonly UserEventToAppend[]): Promise<void>;
  /**
   * The account's events after `afterSequence` and its latest sequence (0 when it has none). Without a
   * sequence, only the latest, as `retained: false`.
   */
  replay(accountId: string, afterSequence?: bigint): Promise<UserEventReplay>;
  /** Tells `listener` each event appended for the account from `ready` on, in sequence order, synchronously: enqueue only. */
  subscribe(accountId: string, listener: (event: UserEvent) => void): UserEventSubscription;
  close(): Promise<void>;
}

/**
 * The first sequence of an account's log that starts now: microseconds since the epoch, rather than 1, so
 * that a log started anew (a restart of the embedded log, a Redis that lost its keys, a log expired after
 * being idle) numbers above the sequences clients hold from the old one, and a client resuming from an old
 * sequence is told to re-read instead of being resumed in the wrong place. An account appends far fewer
 * than a million events per second, so the old log's last sequence stays below the new first one.
 */
export const firstSequence = (now: Date): bigint => BigInt(now.getTime()) * 1000n + 1n;

/** Retention and bounds shared by the adapters. */
export interface UserEventLogLimits {
  /** Events kept per account for replay (the oldest are dropped). */
  readonly eventsPerAccount: number;
}

export const DEFAULT_EVENTS_PER_ACCOUNT = 1000;

/** Whether the events after `after` are all still held, given the account's latest and oldest held sequence. */
export function isRetained(after: bigint, latest: bigint, oldest: bigint | undefined): boolean {
  if (after > latest) return false;
  if (after === latest) return true;
  return oldest !== undefined && oldest <= after + 1n;
}
