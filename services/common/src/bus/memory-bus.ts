import { type BusObserver, deliver } from "./bus-events.js";
import type { MessageBus, Subscription } from "./message-bus.js";

type Handler = (message: string) => void;

/**
 * An in-process bus for a single instance (the embedded default and tests). Delivery is asynchronous, as
 * over Redis, so a publisher never runs its subscribers inside its own turn, and in publish order: one
 * queue carries every message, drained on a microtask.
 */
export class MemoryBus implements MessageBus {
  private readonly channels = new Map<string, Set<Handler>>();
  private readonly queue: { channel: string; message: string }[] = [];
  private draining = false;
  private closed = false;

  constructor(private readonly observer: BusObserver = {}) {}

  publish(channel: string, message: string): void {
    if (this.closed) return;
    this.queue.push({ channel, message });
    if (!this.draining) {
      this.draining = true;
      queueMicrotask(() => this.drain());
    }
  }

  subscribe(channel: string, onMessage: Handler): Subscription {
    // A wrapper per subscription, so that one function subscribed twice is told twice and closed once each.
    const handler: Handler = (message) => onMessage(message);
    let handlers = this.channels.get(channel);
    if (handlers === undefined) {
      handlers = new Set();
      this.channels.set(channel, handlers);
    }
    handlers.add(handler);
    return {
      ready: Promise.resolve(),
      close: () => {
        const current = this.channels.get(channel);
        current?.delete(handler);
        if (current?.size === 0) this.channels.delete(channel);
      },
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    this.queue.length = 0;
    this.channels.clear();
  }

  private drain(): void {
    // What a handler publishes joins the end of this queue and is delivered in this same drain.
    for (let next = this.queue.shift(); next !== undefined; next = this.queue.shift()) {
      const handlers = this.channels.get(next.channel);
      if (handlers !== undefined) deliver([...handlers], next.channel, next.message, this.observer);
    }
    this.draining = false;
  }
}
