import { Redis } from "ioredis";
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

export interface RedisUserEventLogOptions {
  readonly url: string;
  /** Prepended to every key and channel, to share one Redis between deployments or tests. */
  readonly keyPrefix?: string;
  /** Events kept per account (at least; Redis trims whole stream nodes); default 1000. */
  readonly eventsPerAccount?: number;
  /** An account's log expires after this long without an append; default a day. */
  readonly idleSeconds?: number;
  readonly now?: () => Date;
}

/**
 * Appends one account's events atomically: the account's sequence (started at ARGV[3] + 1 for a new log),
 * each event into the capped stream under the ID `<sequence>-0` (so replay is a range read), published on
 * the account's channel as `<sequence>:<payload>`, and both keys' expiry pushed back.
 * KEYS: sequence, stream. ARGV: channel, events kept, sequence before the first, idle seconds, payloads...
 */
const APPEND_SCRIPT = `
if redis.call('EXISTS', KEYS[1]) == 0 then redis.call('SET', KEYS[1], ARGV[3]) end
for i = 5, #ARGV do
  local sequence = string.format('%d', redis.call('INCR', KEYS[1]))
  redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[2], sequence .. '-0', 'p', ARGV[i])
  redis.call('PUBLISH', ARGV[1], sequence .. ':' .. ARGV[i])
end
redis.call('EXPIRE', KEYS[1], ARGV[4])
redis.call('EXPIRE', KEYS[2], ARGV[4])
return 1
`;

type Listener = (event: UserEvent) => void;

interface Channel {
  readonly listeners: Set<Listener>;
  /** Settles when Redis confirmed the SUBSCRIBE. */
  readonly subscribed: Promise<void>;
}

const COLON = 0x3a;

/**
 * The log on Redis, shared by every replica: per account a sequence counter, a capped stream to replay
 * from, and a pub/sub channel for the live events, written together by one script (`APPEND_SCRIPT`), so
 * that sequence order, stream order and publish order are the same. Keys carry the account in braces, so
 * one account's keys share a cluster slot.
 */
export class RedisUserEventLog implements UserEventLog {
  private readonly client: Redis;
  private readonly subscriber: Redis;
  private readonly prefix: string;
  private readonly eventsPerAccount: number;
  private readonly idleSeconds: number;
  private readonly now: () => Date;
  private readonly channels = new Map<string, Channel>();

  constructor(options: RedisUserEventLogOptions) {
    this.prefix = options.keyPrefix ?? "";
    this.eventsPerAccount = options.eventsPerAccount ?? DEFAULT_EVENTS_PER_ACCOUNT;
    this.idleSeconds = options.idleSeconds ?? 86_400;
    this.now = options.now ?? (() => new Date());
    this.client = new Redis(options.url, { maxRetriesPerRequest: 1 });
    this.client.defineCommand("appendUserEvents", { numberOfKeys: 2, lua: APPEND_SCRIPT });
    // The subscriber waits for Redis as long as it takes, and resubscribes its channels after an outage.
    this.subscriber = new Redis(options.url, { maxRetriesPerRequest: null });
    this.subscriber.on("messageBuffer", (channel: Buffer, message: Buffer) => {
      const listeners = this.channels.get(channel.toString())?.listeners;
      if (listeners === undefined) return;
      const colon = message.indexOf(COLON);
      const event = {
        sequence: BigInt(message.subarray(0, colon).toString()),
        payload: new Uint8Array(message.subarray(colon + 1)),
      };
      for (const listener of listeners) listener(event);
    });
    // Connection errors are retried by ioredis (and fail the calls made meanwhile); without a listener each
    // would be logged as unhandled.
    this.client.on("error", () => undefined);
    this.subscriber.on("error", () => undefined);
  }

  async append(events: readonly UserEventToAppend[]): Promise<void> {
    const byAccount = new Map<string, Uint8Array[]>();
    for (const { accountId, payload } of events) {
      const payloads = byAccount.get(accountId);
      if (payloads === undefined) byAccount.set(accountId, [payload]);
      else payloads.push(payload);
    }
    if (byAccount.size === 0) return;
    const before = (firstSequence(this.now()) - 1n).toString();
    const pipeline = this.client.pipeline();
    for (const [accountId, payloads] of byAccount) {
      const keys = this.keys(accountId);
      (pipeline as unknown as AppendCommand).appendUserEvents(
        keys.sequence,
        keys.stream,
        keys.channel,
        String(this.eventsPerAccount),
        before,
        String(this.idleSeconds),
        ...payloads.map((payload) => Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength)),
      );
    }
    const results = (await pipeline.exec()) ?? [];
    const failure = results.find(([error]) => error !== null);
    if (failure) throw failure[0];
  }

  async replay(accountId: string, afterSequence?: bigint): Promise<UserEventReplay> {
    const keys = this.keys(accountId);
    const reads = this.client.multi().get(keys.sequence).xrange(keys.stream, "-", "+", "COUNT", 1);
    if (afterSequence !== undefined) reads.xrangeBuffer(keys.stream, `${afterSequence + 1n}-0`, "+");
    const results = (await reads.exec()) ?? [];
    const failure = results.find(([error]) => error !== null);
    if (failure) throw failure[0];
    const latest = BigInt((results[0]?.[1] as string | null) ?? "0");
    const [oldest] = (results[1]?.[1] ?? []) as [string, string[]][];
    const oldestSequence = oldest === undefined ? undefined : sequenceOf(oldest[0]);
    if (afterSequence === undefined || !isRetained(afterSequence, latest, oldestSequence)) {
      return { retained: false, latest };
    }
    const entries = (results[2]?.[1] ?? []) as [Buffer, Buffer[]][];
    const events = entries
      .map(([id, fields]) => ({
        sequence: sequenceOf(id.toString()),
        payload: new Uint8Array(fields[1] as Buffer),
      }))
      // Appended after the sequence was read, in the same transaction: never, but the range has no end.
      .filter((event) => event.sequence <= latest);
    return { retained: true, latest, events };
  }

  subscribe(accountId: string, listener: Listener): UserEventSubscription {
    const own: Listener = (event) => listener(event);
    const channel = this.keys(accountId).channel;
    let subscription = this.channels.get(channel);
    if (subscription === undefined) {
      const subscribed = this.subscriber.subscribe(channel).then(() => undefined);
      // Fails only when the log closes first; callers that never await `ready` must not crash the process.
      subscribed.catch(() => undefined);
      subscription = { listeners: new Set(), subscribed };
      this.channels.set(channel, subscription);
    }
    subscription.listeners.add(own);
    const current = subscription;
    return {
      ready: current.subscribed,
      close: () => {
        current.listeners.delete(own);
        if (current.listeners.size === 0 && this.channels.get(channel) === current) {
          this.channels.delete(channel);
          this.subscriber.unsubscribe(channel).catch(() => undefined);
        }
      },
    };
  }

  async close(): Promise<void> {
    this.channels.clear();
    await Promise.all(
      [this.client.quit(), this.subscriber.quit()].map((quit) => quit.catch(() => undefined)),
    );
  }

  private keys(accountId: string) {
    const base = `${this.prefix}user-events:{${accountId}}`;
    return { sequence: `${base}:seq`, stream: `${base}:log`, channel: base };
  }
}

interface AppendCommand {
  appendUserEvents(...args: (string | Buffer)[]): void;
}

/** The sequence of a stream entry ID `<sequence>-0`. */
const sequenceOf = (id: string): bigint => BigInt(id.slice(0, id.indexOf("-")));
