import { OrderStatus } from "@bourse/proto/bourse/orders/v1/order_enums_pb";
import { OrderSchema } from "@bourse/proto/bourse/orders/v1/order_pb";
import {
  BalanceUpdateSchema,
  OrderUpdateSchema,
  StreamStartSchema,
} from "@bourse/proto/bourse/orders/v1/order_update_pb";
import { create } from "@bufbuild/protobuf";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import { describe, expect, it } from "vitest";
import {
  applyListedOrders,
  applyStart,
  applyUpdate,
  type MyOrders,
  noOrders,
  openOrders,
  orderHistory,
} from "./my-orders.ts";

const order = (id: string, status: OrderStatus, updatedMs: number, market = "BTC-USD") =>
  create(OrderSchema, {
    id,
    market,
    status,
    createdAt: timestampFromMs(Number(id.slice(1)) * 1000),
    updatedAt: timestampFromMs(updatedMs),
  });
const balance = (asset: string, available: string, version: bigint) =>
  create(BalanceUpdateSchema, { asset, available, held: "0", version });
const update = (sequence: bigint, o: ReturnType<typeof order>, balances: ReturnType<typeof balance>[] = []) =>
  create(OrderUpdateSchema, { sequence, order: o, balances });

function applied(state: MyOrders, u: ReturnType<typeof update>): MyOrders {
  const outcome = applyUpdate(state, u);
  if (outcome.kind !== "applied") throw new Error("expected the update to apply");
  return outcome.state;
}

describe("my orders from StreamMyOrders", () => {
  it("on a fresh start asks for the orders, takes the start's balances and continues after its sequence", () => {
    const { state, needsOrders } = applyStart(
      noOrders,
      create(StreamStartSchema, { sequence: 7n, resumed: false, balances: [balance("USD", "100", 3n)] }),
    );
    expect(needsOrders).toBe(true);
    expect(state.sequence).toBe(7n);
    expect(state.balances.get("USD")?.available).toBe("100");
    const next = applied(state, update(8n, order("o1", OrderStatus.NEW, 1000)));
    expect(next.sequence).toBe(8n);
    expect(openOrders(next, "BTC-USD").map((o) => o.id)).toEqual(["o1"]);
  });

  it("keeps its state on a resumed start", () => {
    const state = applied({ ...noOrders, sequence: 0n }, update(1n, order("o1", OrderStatus.NEW, 1000)));
    const { state: resumed, needsOrders } = applyStart(
      state,
      create(StreamStartSchema, { sequence: 1n, resumed: true }),
    );
    expect(needsOrders).toBe(false);
    expect([...resumed.orders.keys()]).toEqual(["o1"]);
  });

  it("reports a gap instead of applying an update that skips a sequence", () => {
    const state: MyOrders = { ...noOrders, sequence: 4n };
    expect(applyUpdate(state, update(6n, order("o1", OrderStatus.NEW, 1)))).toEqual({
      kind: "gap",
      expected: 5n,
      received: 6n,
    });
    expect(applyUpdate(state, update(4n, order("o1", OrderStatus.NEW, 1))).kind).toBe("gap");
  });

  it("keeps each balance at its highest version, whatever order the updates come in", () => {
    let state: MyOrders = { ...noOrders, sequence: 0n };
    state = applied(state, update(1n, order("o1", OrderStatus.NEW, 1), [balance("USD", "50", 5n)]));
    state = applied(
      state,
      update(2n, order("o1", OrderStatus.NEW, 1), [balance("USD", "80", 4n), balance("BTC", "1", 1n)]),
    );
    expect(state.balances.get("USD")?.available).toBe("50");
    expect(state.balances.get("BTC")?.available).toBe("1");
  });

  it("never lets a listed or streamed older state undo a final status", () => {
    let state: MyOrders = { ...noOrders, sequence: 0n };
    state = applied(state, update(1n, order("o1", OrderStatus.CANCELED, 2000)));
    state = applyListedOrders(state, [
      order("o1", OrderStatus.NEW, 1000),
      order("o2", OrderStatus.NEW, 1500),
    ]);
    expect(state.orders.get("o1")?.status).toBe(OrderStatus.CANCELED);
    state = applied(state, update(2n, order("o2", OrderStatus.PARTIALLY_FILLED, 2500)));
    state = applyListedOrders(state, [order("o2", OrderStatus.NEW, 1500)]);
    expect(state.orders.get("o2")?.status).toBe(OrderStatus.PARTIALLY_FILLED);
  });

  it("splits one market's orders into open (newest first) and history (latest closed first)", () => {
    const state = applyListedOrders({ ...noOrders, sequence: 0n }, [
      order("o1", OrderStatus.NEW, 100),
      order("o2", OrderStatus.PARTIALLY_FILLED, 200),
      order("o3", OrderStatus.FILLED, 900),
      order("o4", OrderStatus.CANCELED, 800),
      order("o5", OrderStatus.NEW, 300, "ETH-USD"),
    ]);
    expect(openOrders(state, "BTC-USD").map((o) => o.id)).toEqual(["o2", "o1"]);
    expect(orderHistory(state, "BTC-USD", 10).map((o) => o.id)).toEqual(["o3", "o4"]);
    expect(orderHistory(state, "BTC-USD", 1).map((o) => o.id)).toEqual(["o3"]);
  });
});
