import { Redis } from "ioredis";
import { type BusObserver, deliver } from "./bus-events.js";
import type { MessageBus, Subscription } from "./message-bus.js";

export interface RedisBusOptions extends BusObserver {
  readonly url: string;
  /** Prepended to every channel, to share one Redis between deployments or tests. */
  readonly channelPrefix?: string;
}

type Handler = (message: string) => void;

interface Channel {
  readonly handlers: Set<Handler>;
  /** Settles when Redis confirmed the SUBSCRIBE. */
  readonly subscribed: Promise<void>;
}

/**
 * A bus on Redis pub/sub: one connection publishes (so one publisher's messages on a channel arrive in
 * order), another subscribes, once per channel however many local subscribers it has. Both reconnect on
 * their own and the subscriber resubscribes its channels. While the publisher is not connected, a message
 * is dropped and reported rather than queued: a market feed's subscribers resynchronise from a snapshot,
 * and an outage must not pile up memory or throw into matching.
 */
export class RedisBus implements MessageBus {
  private readonly publisher: Redis;
  private readonly subscriber: Redis;
  private readonly prefix: string;
  private readonly channels = new Map<string, Channel>();
  /** Before the first connection, publishes wait in ioredis's queue; afterwards a lost connection drops them. */
  private connectedOnce = false;
  private dropped = 0;

  constructor(private readonly options: RedisBusOptions) {
    this.prefix = options.channelPrefix ?? "";
    // Both connect on first use: every service gets a bus, few use it.
    this.publisher = new Redis(options.url, { maxRetriesPerRequest: 1, lazyConnect: true });
    this.publisher.once("ready", () => {
      this.connectedOnce = true;
    });
    // The subscriber waits for Redis as long as it takes: a SUBSCRIBE sent during an outage is sent after it.
    this.subscriber = new Redis(options.url, { maxRetriesPerRequest: null, lazyConnect: true });
    this.subscriber.on("message", (prefixed: string, message: string) => {
      const channel = prefixed.slice(this.prefix.length);
      const handlers = this.channels.get(channel)?.handlers;
      if (handlers !== undefined) deliver([...handlers], channel, message, options);
    });
    // Connection errors are retried by ioredis; without a listener each would be logged as unhandled.
    this.publisher.on("error", () => undefined);
    this.subscriber.on("error", () => undefined);
  }

  /** Messages dropped because Redis was unreachable when they were published. */
  get droppedMessages(): number {
    return this.dropped;
  }

  publish(channel: string, message: string): void {
    if (this.connectedOnce && this.publisher.status !== "ready") {
      this.drop(channel);
      return;
    }
    this.publisher.publish(this.prefix + channel, message).catch(() => this.drop(channel));
  }

  subscribe(channel: string, onMessage: Handler): Subscription {
    const handler: Handler = (message) => onMessage(message);
    let subscription = this.channels.get(channel);
    if (subscription === undefined) {
      const subscribed = this.subscriber.subscribe(this.prefix + channel).then(() => undefined);
      // Fails only when the bus closes first; callers that never await `ready` must not crash the process.
      subscribed.catch(() => undefined);
      subscription = { handlers: new Set(), subscribed };
      this.channels.set(channel, subscription);
    }
    subscription.handlers.add(handler);
    const current = subscription;
    return {
      ready: current.subscribed,
      close: () => {
        current.handlers.delete(handler);
        if (current.handlers.size > 0 || this.channels.get(channel) !== current) return;
        this.channels.delete(channel);
        // A new subscription to the channel queues its SUBSCRIBE after this, so it stays subscribed.
        this.subscriber.unsubscribe(this.prefix + channel).catch(() => undefined);
      },
    };
  }

  async close(): Promise<void> {
    this.channels.clear();
    await Promise.all([quit(this.publisher), quit(this.subscriber)]);
  }

  private drop(channel: string): void {
    this.dropped += 1;
    this.options.publishDropped?.(channel);
  }
}

/** Quits politely when connected, otherwise stops reconnecting at once. */
async function quit(client: Redis): Promise<void> {
  if (client.status !== "ready") {
    client.disconnect();
    return;
  }
  await client.quit().catch(() => client.disconnect());
}
