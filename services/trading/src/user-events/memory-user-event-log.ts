import {
  DEFAULT_EVENTS_PER_ACCOUNT,
  firstSequence,
  isRetained,
  type UserEvent,
  type UserEventLog,
  type UserEventReplay,
  type UserEventSubscription,
  type UserEventToAppend,
} from "./user-event-log.js";

export interface MemoryUserEventLogOptions {
  /** Events kept per account; default 1000. */
  readonly eventsPerAccount?: number;
  /** Accounts whose log is kept; the one appended to least recently is forgotten first. Default 10,000. */
  readonly accounts?: number;
  readonly now?: () => Date;
}

interface AccountLog {
  latest: bigint;
  /** Oldest first, at most `eventsPerAccount`. */
  readonly events: UserEvent[];
}

type Listener = (event: UserEvent) => void;

/**
 * The log in this process (the embedded default): one instance shared by the orders and matching services
 * of the process. Bounded: the last events of each account, for the accounts appended to most recently; a
 * forgotten account starts a new log whose sequences are above the old ones (`firstSequence`).
 */
export class MemoryUserEventLog implements UserEventLog {
  /** In least-recently-appended-first order: an append moves its account to the end. */
  private readonly logs = new Map<string, AccountLog>();
  private readonly listeners = new Map<string, Set<Listener>>();
  private readonly eventsPerAccount: number;
  private readonly accounts: number;
  private readonly now: () => Date;

  constructor(options: MemoryUserEventLogOptions = {}) {
    this.eventsPerAccount = options.eventsPerAccount ?? DEFAULT_EVENTS_PER_ACCOUNT;
    this.accounts = options.accounts ?? 10_000;
    this.now = options.now ?? (() => new Date());
  }

  async append(events: readonly UserEventToAppend[]): Promise<void> {
    for (const { accountId, payload } of events) {
      const log = this.touch(accountId);
      log.latest = log.latest === 0n ? firstSequence(this.now()) : log.latest + 1n;
      const event = { sequence: log.latest, payload };
      log.events.push(event);
      if (log.events.length > this.eventsPerAccount) log.events.shift();
      for (const listener of this.listeners.get(accountId) ?? []) listener(event);
    }
  }

  async replay(accountId: string, afterSequence?: bigint): Promise<UserEventReplay> {
    const log = this.logs.get(accountId);
    const latest = log?.latest ?? 0n;
    if (afterSequence === undefined || !isRetained(afterSequence, latest, log?.events[0]?.sequence)) {
      return { retained: false, latest };
    }
    const events = log?.events.filter((event) => event.sequence > afterSequence) ?? [];
    return { retained: true, latest, events };
  }

  subscribe(accountId: string, listener: Listener): UserEventSubscription {
    // A wrapper per subscription, so that one function subscribed twice is told twice and closed once each.
    const own: Listener = (event) => listener(event);
    let listeners = this.listeners.get(accountId);
    if (listeners === undefined) {
      listeners = new Set();
      this.listeners.set(accountId, listeners);
    }
    listeners.add(own);
    return {
      ready: Promise.resolve(),
      close: () => {
        const current = this.listeners.get(accountId);
        current?.delete(own);
        if (current?.size === 0) this.listeners.delete(accountId);
      },
    };
  }

  async close(): Promise<void> {
    this.listeners.clear();
  }

  /** The account's log, made the most recently used; the least recent is forgotten beyond the bound. */
  private touch(accountId: string): AccountLog {
    const log = this.logs.get(accountId) ?? { latest: 0n, events: [] };
    this.logs.delete(accountId);
    this.logs.set(accountId, log);
    if (this.logs.size > this.accounts) {
      const oldest = this.logs.keys().next().value as string;
      this.logs.delete(oldest);
    }
    return log;
  }
}
