import { describeWithStores, rpcError } from "@bourse/common/testing";
import { readBalance } from "@bourse/ledger";
import {
  ExpireReason,
  OrderStatus,
  OrderType,
  Side,
  TimeInForce,
} from "@bourse/proto/bourse/orders/v1/order_enums_pb";
import type { PlaceOrderRequestSchema } from "@bourse/proto/bourse/orders/v1/order_service_pb";
import { orderFromItem, orderKey, orderToItem } from "@bourse/trading";
import { listTestMarket, testMarketItem } from "@bourse/trading/testing";
import type { MessageInitShape } from "@bufbuild/protobuf";
import { Code } from "@connectrpc/connect";
import { ulid } from "ulid";
import { afterAll, beforeAll, expect, it } from "vitest";
import { fund, type OrdersHarness, startOrders } from "../testing/orders-harness.js";

type PlaceInit = MessageInitShape<typeof PlaceOrderRequestSchema>;

describeWithStores("OrderService", (store) => {
  let orders: OrdersHarness;
  beforeAll(async () => {
    orders = await startOrders(store);
  });
  afterAll(() => orders.stop());

  /** A funded user on a fresh market: 1000 quote and 10 base. */
  async function trader(marketOverrides = {}) {
    const market = await listTestMarket(store(), marketOverrides);
    const user = ulid();
    await fund(store(), user, market.quote, 6, "1000");
    await fund(store(), user, market.base, 8, "10");
    const auth = await orders.as(user);
    const limitBuy = (fields: Partial<PlaceInit> = {}): PlaceInit =>
      ({
        market: market.symbol,
        side: Side.BUY,
        type: OrderType.LIMIT,
        price: "100",
        size: { case: "quantity", value: "1" },
        ...fields,
      }) as PlaceInit;
    const place = (fields: Partial<PlaceInit> = {}) => orders.client.placeOrder(limitBuy(fields), auth);
    const balance = async (asset: string) => {
      const current = await readBalance(store(), user, asset);
      return { available: current?.available ?? 0n, held: current?.held ?? 0n };
    };
    return { market, user, auth, place, balance, limitBuy };
  }

  it("refuses every RPC without a valid token, with unauthenticated", async () => {
    const client = orders.client;
    const bad = { headers: { authorization: "Bearer not.a.token" } };
    // One call at a time: a call started early could be refused before anything awaits it.
    const calls = [
      () => client.placeOrder({}, bad),
      () => client.cancelOrder({}),
      () => client.cancelAllOrders({}, bad),
      () => client.amendOrder({}, bad),
      () => client.getOrder({}),
      () => client.listOrders({}, bad),
      () => client.listMyTrades({}),
    ];
    for (const call of calls) expect((await rpcError(call())).code).toBe(Code.Unauthenticated);
  });

  it("holds a limit buy's notional plus its highest fee, stores it NEW and submits it", async () => {
    const { place, balance, market } = await trader();
    const { order } = await place({ price: "100.5", size: { case: "quantity", value: "2" } });
    expect(order?.status).toBe(OrderStatus.NEW);
    expect(order?.price).toBe("100.50");
    expect(order?.feeAsset).toBe(market.quote);
    // 201 + 201 × 0.002 = 201.402.
    expect(await balance(market.quote)).toEqual({
      available: 1_000_000_000n - 201_402_000n,
      held: 201_402_000n,
    });
    expect(orders.matching.submitted).toContain(order?.id);
  });

  it("holds a sell's base quantity", async () => {
    const { place, balance, market } = await trader();
    await place({ side: Side.SELL, size: { case: "quantity", value: "1.5" } });
    expect(await balance(market.base)).toEqual({ available: 850_000_000n, held: 150_000_000n });
  });

  it("refuses what breaks the market's rules with invalid_argument, and holds nothing", async () => {
    const { place, balance, market } = await trader();
    const refusals: Array<[Partial<PlaceInit>, string]> = [
      [{ price: "100.001" }, "tick"],
      [{ size: { case: "quantity", value: "0.0001" } }, "lot"],
      [{ price: "0.5", size: { case: "quantity", value: "1" } }, "minimum notional"],
      [{ price: "" }, "price is required"],
      [{ type: OrderType.MARKET, price: "", timeInForce: TimeInForce.GTC }, "GTC"],
      [{ postOnly: true, timeInForce: TimeInForce.IOC }, "post_only"],
      [{ size: { case: "quoteAmount", value: "100" } }, "market buys only"],
      [
        { side: Side.SELL, type: OrderType.MARKET, price: "", size: { case: "quoteAmount", value: "100" } },
        "market buys only",
      ],
      [{ size: { case: undefined } }, "exactly one"],
      [{ side: Side.UNSPECIFIED }, "side"],
      [{ price: "-1" }, "positive"],
      [{ price: "1e3" }, "decimal"],
      [{ clientOrderId: "has space" }, "client_order_id"],
      [{ market: "nope" }, "BASE-QUOTE"],
      [{ price: "99999999999999999999999999999999" }, "too large"],
      [{ size: { case: "quantity", value: "99999999999999999999999" } }, "too large"],
    ];
    for (const [fields, message] of refusals) {
      const error = await rpcError(place(fields));
      expect(error.code, message).toBe(Code.InvalidArgument);
      expect(error.rawMessage).toContain(message);
    }
    expect(await balance(market.quote)).toEqual({ available: 1_000_000_000n, held: 0n });
  });

  it("answers not_found for an unknown market and failed_precondition for a halted one", async () => {
    const { place } = await trader();
    expect((await rpcError(place({ market: "NOPE-USD" }))).code).toBe(Code.NotFound);
    const halted = await trader({ status: "halted" });
    expect((await rpcError(halted.place())).code).toBe(Code.FailedPrecondition);
    expect(await halted.balance(halted.market.quote)).toEqual({ available: 1_000_000_000n, held: 0n });
  });

  it("applies a halt, a resumption and a change of rules to the very next order", async () => {
    const { place, balance, market } = await trader();
    await place();
    const held = (await balance(market.quote)).held;

    await store().put(testMarketItem({ ...market, status: "halted" }, 2));
    expect((await rpcError(place())).code).toBe(Code.FailedPrecondition);
    expect((await balance(market.quote)).held).toBe(held);

    await store().put(testMarketItem(market, 3));
    await place();
    expect((await balance(market.quote)).held).toBe(2n * held);

    await store().put(testMarketItem({ ...market, minQuantity: "2" }, 4));
    const refused = await rpcError(place());
    expect(refused.code).toBe(Code.InvalidArgument);
    expect(refused.rawMessage).toContain("minimum");
    expect((await balance(market.quote)).held).toBe(2n * held);
  });

  it("refuses a hold beyond the available balance with failed_precondition, storing no order", async () => {
    const { place, auth, market, balance } = await trader();
    const error = await rpcError(place({ price: "2000", size: { case: "quantity", value: "1" } }));
    expect(error.code).toBe(Code.FailedPrecondition);
    expect(await balance(market.quote)).toEqual({ available: 1_000_000_000n, held: 0n });
    const listed = await orders.client.listOrders({ market: market.symbol }, auth);
    expect(listed.orders).toEqual([]);
  });

  it("commits concurrent places together, refusing only those the balance cannot cover", async () => {
    const { place, balance, market } = await trader();
    // Each holds 100.2; 1000 covers nine of them.
    const results = await Promise.allSettled(Array.from({ length: 12 }, () => place()));
    const placed = results.filter((result) => result.status === "fulfilled");
    const refused = results.filter((result) => result.status === "rejected");
    expect(placed).toHaveLength(9);
    for (const result of refused)
      expect((result.reason as { code: Code }).code).toBe(Code.FailedPrecondition);
    expect(await balance(market.quote)).toEqual({
      available: 1_000_000_000n - 9n * 100_200_000n,
      held: 9n * 100_200_000n,
    });
  });

  it("makes PlaceOrder safe to retry by client_order_id", async () => {
    const { place, balance, market } = await trader();
    const first = await place({ clientOrderId: "retry-1", price: "100.0" });
    const again = await place({ clientOrderId: "retry-1", price: "100" });
    expect(again.order?.id).toBe(first.order?.id);
    expect((await balance(market.quote)).held).toBe(100_200_000n);

    const other = await rpcError(place({ clientOrderId: "retry-1", price: "99" }));
    expect(other.code).toBe(Code.AlreadyExists);

    const concurrent = await Promise.all([
      place({ clientOrderId: "race-1" }),
      place({ clientOrderId: "race-1" }),
      place({ clientOrderId: "race-1" }),
    ]);
    expect(new Set(concurrent.map((response) => response.order?.id)).size).toBe(1);
    expect((await balance(market.quote)).held).toBe(2n * 100_200_000n);
  });

  it("frees a client_order_id once its order is done", async () => {
    const { place, auth } = await trader();
    const first = await place({ clientOrderId: "reuse-1" });
    await orders.client.cancelOrder({ target: { case: "clientOrderId", value: "reuse-1" } }, auth);
    const second = await place({ clientOrderId: "reuse-1", price: "99" });
    expect(second.order?.id).not.toBe(first.order?.id);
    const got = await orders.client.getOrder({ target: { case: "clientOrderId", value: "reuse-1" } }, auth);
    expect(got.order?.id).toBe(second.order?.id);
  });

  it("runs a market buy by quantity at the best ask plus the protection margin, rounded up to the tick", async () => {
    const { place, balance, market } = await trader();
    orders.matching.bestAsk = "100.01";
    try {
      const { order } = await place({ type: OrderType.MARKET, price: "" });
      expect(order?.status).toBe(OrderStatus.NEW);
      const stored = orderFromItem((await store().get(orderKey(order?.id ?? ""))) ?? { PK: "", SK: "" });
      // 100.01 × 1.1 = 110.011 → 110.02; held 110.02 + 110.02 × 0.002 = 110.24004.
      expect(stored.price).toBe("110.02");
      expect(stored.timeInForce).toBe("IOC");
      expect((await balance(market.quote)).held).toBe(110_240_040n);
    } finally {
      orders.matching.bestAsk = "";
    }
  });

  it("expires a market buy by quantity with NO_LIQUIDITY and holds nothing when there is no ask", async () => {
    const { place, balance, market } = await trader();
    const { order } = await place({ type: OrderType.MARKET, price: "" });
    expect(order?.status).toBe(OrderStatus.EXPIRED);
    expect(order?.expireReason).toBe(ExpireReason.NO_LIQUIDITY);
    expect(await balance(market.quote)).toEqual({ available: 1_000_000_000n, held: 0n });
  });

  it("returns the order NEW when matching stays unavailable", async () => {
    const { place, balance, market } = await trader();
    orders.matching.failWith = Code.Unavailable;
    try {
      const { order, trades } = await place();
      expect(order?.status).toBe(OrderStatus.NEW);
      expect(trades).toEqual([]);
      expect((await balance(market.quote)).held).toBe(100_200_000n);
    } finally {
      orders.matching.failWith = undefined;
    }
  });

  it("shows, cancels and amends only the caller's own orders", async () => {
    const owner = await trader();
    const stranger = await trader();
    const { order } = await owner.place();
    const target = { case: "orderId" as const, value: order?.id ?? "" };
    expect((await rpcError(orders.client.getOrder({ target }, stranger.auth))).code).toBe(Code.NotFound);
    expect((await rpcError(orders.client.cancelOrder({ target }, stranger.auth))).code).toBe(Code.NotFound);
    expect((await rpcError(orders.client.amendOrder({ target, price: "99" }, stranger.auth))).code).toBe(
      Code.NotFound,
    );
    expect((await rpcError(orders.client.listMyTrades({ orderId: order?.id }, stranger.auth))).code).toBe(
      Code.NotFound,
    );
    expect((await orders.client.listOrders({}, stranger.auth)).orders).toEqual([]);
    expect((await orders.client.cancelAllOrders({}, stranger.auth)).orders).toEqual([]);
    const mine = await orders.client.getOrder({ target }, owner.auth);
    expect(mine.order?.status).toBe(OrderStatus.NEW);
  });

  it("converts an amend's new total quantity into the remaining quantity matching takes", async () => {
    const { place, auth } = await trader();
    const { order } = await place({ size: { case: "quantity", value: "2" } });
    const key = orderKey(order?.id ?? "");
    const stored = orderFromItem((await store().get(key)) ?? key);
    await store().put(orderToItem({ ...stored, status: "PARTIALLY_FILLED", filledBase: 50_000_000n }));
    const target = { case: "orderId" as const, value: stored.orderId };

    await orders.client.amendOrder({ target, quantity: "1.5", price: "99.5" }, auth);
    expect(orders.matching.amends.at(-1)).toEqual({
      orderId: stored.orderId,
      price: "99.50",
      remainingQuantity: "1",
    });
    expect((await rpcError(orders.client.amendOrder({ target, quantity: "3" }, auth))).code).toBe(
      Code.FailedPrecondition,
    );
    expect((await rpcError(orders.client.amendOrder({ target, quantity: "0.5" }, auth))).code).toBe(
      Code.InvalidArgument,
    );
    expect((await rpcError(orders.client.amendOrder({ target }, auth))).code).toBe(Code.InvalidArgument);
    expect((await rpcError(orders.client.amendOrder({ target, price: "99.001" }, auth))).code).toBe(
      Code.InvalidArgument,
    );
  });

  it("refuses to cancel or amend a finished order, and returns a canceled one unchanged", async () => {
    const { place, auth } = await trader();
    const { order } = await place();
    const target = { case: "orderId" as const, value: order?.id ?? "" };
    const canceled = await orders.client.cancelOrder({ target }, auth);
    expect(canceled.order?.status).toBe(OrderStatus.CANCELED);
    expect(canceled.order).toEqual((await orders.client.getOrder({ target }, auth)).order);
    expect((await orders.client.cancelOrder({ target }, auth)).order).toEqual(canceled.order);
    expect((await rpcError(orders.client.amendOrder({ target, price: "99" }, auth))).code).toBe(
      Code.FailedPrecondition,
    );
    const key = orderKey(order?.id ?? "");
    const stored = orderFromItem((await store().get(key)) ?? key);
    await store().put(orderToItem({ ...stored, status: "FILLED" }));
    expect((await rpcError(orders.client.cancelOrder({ target }, auth))).code).toBe(Code.FailedPrecondition);
  });

  it("lists orders newest first with cursor pagination, by status and market", async () => {
    const { place, auth, market } = await trader();
    const placed = [];
    for (let index = 0; index < 5; index++)
      placed.push((await place({ price: String(90 + index) })).order?.id);
    await orders.client.cancelOrder({ target: { case: "orderId", value: placed[0] ?? "" } }, auth);

    const seen: string[] = [];
    let pageToken = "";
    do {
      const page = await orders.client.listOrders({ market: market.symbol, pageSize: 2, pageToken }, auth);
      expect(page.orders.length).toBeLessThanOrEqual(2);
      seen.push(...page.orders.map((order) => order.id));
      pageToken = page.nextPageToken;
    } while (pageToken !== "");
    expect(seen).toEqual([...placed].reverse());

    const open = await orders.client.listOrders(
      { statuses: [OrderStatus.NEW, OrderStatus.PARTIALLY_FILLED] },
      auth,
    );
    expect(open.orders.map((order) => order.id)).toEqual(placed.slice(1).reverse());
    const history = await orders.client.listOrders({ statuses: [OrderStatus.CANCELED] }, auth);
    expect(history.orders.map((order) => order.id)).toEqual([placed[0]]);

    expect((await rpcError(orders.client.listOrders({ pageSize: 0 }, auth))).code).toBe(Code.InvalidArgument);
    expect((await rpcError(orders.client.listOrders({ pageSize: 101 }, auth))).code).toBe(
      Code.InvalidArgument,
    );
    const first = await orders.client.listOrders({ pageSize: 1 }, auth);
    const otherFilter = await rpcError(
      orders.client.listOrders({ pageSize: 1, pageToken: first.nextPageToken, market: "X-Y" }, auth),
    );
    expect(otherFilter.code).toBe(Code.InvalidArgument);
  });

  it("cancels all of the caller's open orders in one market, or in all", async () => {
    const first = await trader();
    const a = await first.place();
    const b = await first.place({ side: Side.SELL, price: "120" });
    const canceled = await orders.client.cancelAllOrders({ market: first.market.symbol }, first.auth);
    expect(canceled.orders.map((order) => order.id).sort()).toEqual([a.order?.id, b.order?.id].sort());
    expect(canceled.orders.every((order) => order.status === OrderStatus.CANCELED)).toBe(true);
    const open = await orders.client.listOrders({ statuses: [OrderStatus.NEW] }, first.auth);
    expect(open.orders).toEqual([]);
  });
});
