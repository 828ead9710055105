/**
 * The message bus port: fire-and-forget messages on named channels, for events that every replica of a
 * service wants (a market's feed, published by its owner, read by the replicas that serve its streams).
 * Two adapters: Redis pub/sub (shared by every instance) and in-process memory (the embedded default).
 * Delivery is at most once: a message published while nobody listens, or while Redis is unreachable, is
 * lost, so subscribers carry their own sequence numbers and ask for a fresh state when they see a gap.
 */
export interface MessageBus {
  /** Fire and forget; messages of one publisher on one channel arrive in order. */
  publish(channel: string, message: string): void;
  /** `ready` resolves once subscribed; `close()` unsubscribes. */
  subscribe(
    channel: string,
    onMessage: (message: string) => void,
  ): { readonly ready: Promise<void>; close(): void };
  close(): Promise<void>;
}

/** What `MessageBus.subscribe` returns. */
export type Subscription = ReturnType<MessageBus["subscribe"]>;
