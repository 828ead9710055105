import { OrderStatus } from "@bourse/proto/bourse/orders/v1/order_enums_pb";
import { type Order, OrderSchema } from "@bourse/proto/bourse/orders/v1/order_pb";
import {
  type StreamMyOrdersResponse,
  StreamMyOrdersResponseSchema,
} from "@bourse/proto/bourse/orders/v1/order_service_pb";
import {
  BalanceUpdateSchema,
  OrderUpdateSchema,
  StreamStartSchema,
} from "@bourse/proto/bourse/orders/v1/order_update_pb";
import { create } from "@bufbuild/protobuf";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import type { CallOptions } from "@connectrpc/connect";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { MyOrders } from "./my-orders.ts";

vi.mock("../../api/session.ts", () => ({ refreshSession: async () => true }));
const { runStream } = await import("../../api/streams.ts");
const { followMyOrders } = await import("./my-orders-stream.ts");

const order = (id: string, status: OrderStatus, updatedMs: number) =>
  create(OrderSchema, { id, market: "BTC-USD", status, updatedAt: timestampFromMs(updatedMs) });
const start = (sequence: bigint, resumed: boolean, usd = "100") =>
  create(StreamMyOrdersResponseSchema, {
    event: {
      case: "start",
      value: create(StreamStartSchema, {
        sequence,
        resumed,
        balances: [create(BalanceUpdateSchema, { asset: "USD", available: usd, held: "0", version: 1n })],
      }),
    },
  });
const update = (sequence: bigint, o: Order) =>
  create(StreamMyOrdersResponseSchema, {
    event: { case: "update", value: create(OrderUpdateSchema, { sequence, order: o }) },
  });

/** Each connection delivers its messages, then stays open until aborted; records the resume point asked. */
function scripted(connections: StreamMyOrdersResponse[][], afterSequence: () => bigint | undefined) {
  const resumedAfter: (bigint | undefined)[] = [];
  const open = (options: CallOptions) => {
    resumedAfter.push(afterSequence());
    const messages = connections.shift() ?? [];
    return (async function* () {
      options.onHeader?.(new Headers());
      for (const message of messages) yield message;
      await new Promise((resolve) => options.signal?.addEventListener("abort", resolve));
    })();
  };
  return { open, resumedAfter };
}

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe("followMyOrders under runStream", () => {
  it("reads the orders on a fresh start, and on a gap resumes after the last update applied", async () => {
    const published: MyOrders[] = [];
    const listOrders = vi.fn(async () => [order("o1", OrderStatus.NEW, 1_000)]);
    const follower = followMyOrders((state) => published.push(state), listOrders);
    const stream = scripted(
      [
        [
          start(5n, false),
          update(6n, order("o2", OrderStatus.NEW, 2_000)),
          update(8n, order("o2", OrderStatus.FILLED, 4_000)),
        ],
        [
          start(6n, true),
          update(7n, order("o1", OrderStatus.CANCELED, 3_000)),
          update(8n, order("o2", OrderStatus.FILLED, 4_000)),
        ],
      ],
      follower.afterSequence,
    );
    const stop = runStream({ open: stream.open, onMessage: follower.onMessage });
    await vi.advanceTimersByTimeAsync(1_000);

    expect(listOrders).toHaveBeenCalledTimes(1);
    expect(stream.resumedAfter).toEqual([undefined, 6n]);
    const last = published.at(-1);
    expect(last?.sequence).toBe(8n);
    const statuses = Object.fromEntries([...(last?.orders.values() ?? [])].map((o) => [o.id, o.status]));
    expect(statuses).toEqual({ o1: OrderStatus.CANCELED, o2: OrderStatus.FILLED });
    expect(last?.balances.get("USD")?.available).toBe("100");
    stop();
  });

  it("publishes nothing once stopped", async () => {
    const published: MyOrders[] = [];
    const follower = followMyOrders(
      (state) => published.push(state),
      async () => [],
    );
    follower.stop();
    follower.onMessage(start(1n, false));
    await vi.advanceTimersByTimeAsync(0);
    expect(published).toEqual([]);
    expect(follower.afterSequence()).toBe(1n);
  });
});
