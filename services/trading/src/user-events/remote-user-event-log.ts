import { setTimeout as sleep } from "node:timers/promises";
import {
  connectEmbeddedState,
  type EmbeddedStateClientOptions,
  type EmbeddedStateConnection,
} from "@bourse/common/embedded-state";
import { EmbeddedUserEventService } from "@bourse/proto/bourse/state/v1/embedded_state_pb";
import { type Client, createClient } from "@connectrpc/connect";
import type {
  UserEvent,
  UserEventLog,
  UserEventReplay,
  UserEventSubscription,
  UserEventToAppend,
} from "./user-event-log.js";

/** Waits between attempts to follow an account again after the state service was lost. */
const RESUBSCRIBE_DELAY_MS = { first: 250, max: 5_000 };

/**
 * The user event log of the embedded state service (the launcher's MemoryUserEventLog), shared by the orders
 * and matching services when each runs in a process of its own under `npm start`. A subscription is one
 * server stream; like a Redis subscriber after an outage, one whose stream breaks follows the account again
 * (events appended meanwhile are not heard: a reader sees the gap in sequences and replays).
 */
export class RemoteUserEventLog implements UserEventLog {
  private readonly connection: EmbeddedStateConnection;
  private readonly client: Client<typeof EmbeddedUserEventService>;
  private readonly closed = new AbortController();

  constructor(options: EmbeddedStateClientOptions) {
    this.connection = connectEmbeddedState(options);
    this.client = createClient(EmbeddedUserEventService, this.connection.transport);
  }

  async append(events: readonly UserEventToAppend[]): Promise<void> {
    await this.client.append({ events: events.map(({ accountId, payload }) => ({ accountId, payload })) });
  }

  async replay(accountId: string, afterSequence?: bigint): Promise<UserEventReplay> {
    const replay = await this.client.replay({ accountId, afterSequence });
    if (!replay.retained) return { retained: false, latest: replay.latest };
    const events = replay.events.map(({ sequence, payload }) => ({ sequence, payload }));
    return { retained: true, latest: replay.latest, events };
  }

  subscribe(accountId: string, listener: (event: UserEvent) => void): UserEventSubscription {
    const closed = new AbortController();
    const signal = AbortSignal.any([closed.signal, this.closed.signal]);
    let subscribed = () => {};
    let gaveUp = (_error: Error) => {};
    const ready = new Promise<void>((resolve, reject) => {
      subscribed = resolve;
      gaveUp = reject;
    });
    // Fails only when the subscription closes first; callers that never await `ready` must not crash.
    ready.catch(() => undefined);
    void this.follow(accountId, listener, signal, subscribed).finally(() =>
      gaveUp(new Error("the subscription closed before it was in place")),
    );
    return { ready, close: () => closed.abort() };
  }

  async close(): Promise<void> {
    this.closed.abort();
    this.connection.close();
  }

  /** Follows the account until `signal` aborts, following it again after each broken stream. */
  private async follow(
    accountId: string,
    listener: (event: UserEvent) => void,
    signal: AbortSignal,
    subscribed: () => void,
  ): Promise<void> {
    let delayMs = RESUBSCRIBE_DELAY_MS.first;
    while (!signal.aborted) {
      try {
        for await (const response of this.client.subscribe({ accountId }, { signal })) {
          if (response.message.case === "subscribed") {
            subscribed();
            delayMs = RESUBSCRIBE_DELAY_MS.first;
          } else if (response.message.case === "event") {
            const { sequence, payload } = response.message.value;
            listener({ sequence, payload });
          }
        }
      } catch {
        // A broken stream (the state service restarted, the connection dropped): follow again below.
      }
      await sleep(delayMs, undefined, { signal }).catch(() => undefined);
      delayMs = Math.min(delayMs * 2, RESUBSCRIBE_DELAY_MS.max);
    }
  }
}
