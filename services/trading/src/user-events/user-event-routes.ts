import { serviceCredentialGuard } from "@bourse/common/auth";
import {
  EmbeddedUserEventService,
  type SubscribeResponse,
  SubscribeResponseSchema,
  UserEventSchema,
} from "@bourse/proto/bourse/state/v1/embedded_state_pb";
import { create } from "@bufbuild/protobuf";
import type { ConnectRouter } from "@connectrpc/connect";
import type { UserEvent, UserEventLog } from "./user-event-log.js";

export interface EmbeddedUserEventsOptions {
  /** The launcher's log, shared by the orders and matching processes through RemoteUserEventLog. */
  readonly log: UserEventLog;
  /** The service credential every call must present. */
  readonly credential: string;
}

/**
 * Serves the launcher's user event log as EmbeddedUserEventService, so that the orders and matching services,
 * each in a process of its own under `npm start`, append to and stream from one log.
 */
export function registerEmbeddedUserEvents(router: ConnectRouter, options: EmbeddedUserEventsOptions): void {
  const { log } = options;
  const guard = serviceCredentialGuard(options.credential);
  router.service(EmbeddedUserEventService, {
    async append(request, context) {
      guard(context);
      await log.append(request.events.map(({ accountId, payload }) => ({ accountId, payload })));
      return {};
    },
    async replay(request, context) {
      guard(context);
      const replay = await log.replay(request.accountId, request.afterSequence);
      return {
        retained: replay.retained,
        latest: replay.latest,
        events: replay.retained ? replay.events.map((event) => create(UserEventSchema, event)) : [],
      };
    },
    async *subscribe(request, context) {
      guard(context);
      yield* followed(log, request.accountId, context.signal);
    },
  });
}

/** The stream of one subscription: `subscribed` once the log hears every later append, then each event. */
async function* followed(
  log: UserEventLog,
  accountId: string,
  signal: AbortSignal,
): AsyncGenerator<SubscribeResponse> {
  const pending: UserEvent[] = [];
  let wake: (() => void) | undefined;
  const subscription = log.subscribe(accountId, (event) => {
    pending.push(event);
    wake?.();
  });
  const stop = () => wake?.();
  signal.addEventListener("abort", stop);
  try {
    await subscription.ready;
    yield create(SubscribeResponseSchema, { message: { case: "subscribed", value: {} } });
    while (!signal.aborted) {
      const event = pending.shift();
      if (event !== undefined) {
        yield create(SubscribeResponseSchema, { message: { case: "event", value: event } });
        continue;
      }
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
      wake = undefined;
    }
  } finally {
    signal.removeEventListener("abort", stop);
    subscription.close();
  }
}
