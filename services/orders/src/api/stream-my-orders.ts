import { unavailable } from "@bourse/common";
import { listBalances } from "@bourse/ledger";
import {
  type StreamMyOrdersRequest,
  type StreamMyOrdersResponse,
  StreamMyOrdersResponseSchema,
} from "@bourse/proto/bourse/orders/v1/order_service_pb";
import { balanceUpdateOf, orderUpdateOf, type UserEvent } from "@bourse/trading/user-events";
import { create } from "@bufbuild/protobuf";
import type { HandlerContext } from "@connectrpc/connect";
import { AccountEvents } from "../user-stream/account-events.js";
import type { OrdersDeps } from "./deps.js";

const update = (event: UserEvent): StreamMyOrdersResponse =>
  create(StreamMyOrdersResponseSchema, { event: { case: "update", value: orderUpdateOf(event) } });

/**
 * StreamMyOrders: the caller's execution reports from the user event log (docs/order-flow.md, "User data
 * stream"). Live events are subscribed first, then the log is read: the start, the missed updates when the
 * client's sequence is still retained, then the live ones, each sent once (a sequence at or below the last
 * sent is skipped). Ends when the client goes away, and with `unavailable` when the service shuts down.
 */
export async function* streamMyOrders(
  deps: OrdersDeps,
  request: StreamMyOrdersRequest,
  context: HandlerContext,
): AsyncGenerator<StreamMyOrdersResponse> {
  const { userId } = await deps.auth.require(context);
  const signal = AbortSignal.any([context.signal, deps.shutdown]);
  const live = new AccountEvents(deps.userEvents, userId, deps.streamBuffer);
  try {
    await live.ready;
    const after = request.afterSequence;
    const replay = await deps.userEvents.replay(userId, after);
    const resumed = after !== undefined && replay.retained;
    let last = resumed ? after : replay.latest;
    // Read after the sequence: whatever they show newer than it, its updates' versions tell.
    const balances = await listBalances(deps.store, userId);
    yield create(StreamMyOrdersResponseSchema, {
      event: { case: "start", value: { sequence: last, resumed, balances: balances.map(balanceUpdateOf) } },
    });
    for (const event of replay.retained ? replay.events : []) {
      yield update(event);
      last = event.sequence;
    }
    for await (const event of live.events(signal)) {
      if (event.sequence <= last) continue;
      if (last !== 0n && event.sequence > last + 1n) {
        // The live channel lost some (a reconnect to Redis): take them from the log, or have the client re-read.
        // (After 0, the caller's first sequence is any: a log starts at a time-based one.)
        const missed = await deps.userEvents.replay(userId, last);
        if (!missed.retained) throw unavailable("updates were lost; reconnect with your last sequence");
        for (const lost of missed.events) {
          if (lost.sequence >= event.sequence) break;
          yield update(lost);
          last = lost.sequence;
        }
      }
      yield update(event);
      last = event.sequence;
    }
    if (deps.shutdown.aborted) throw unavailable("the orders service is shutting down; reconnect");
  } finally {
    live.close();
  }
}
