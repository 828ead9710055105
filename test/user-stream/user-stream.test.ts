/**
 * The user data stream (issue #10, "Must show"): StreamMyOrders through the public API, orders and matching
 * in one process on one user event log (memory with the embedded store; Redis, as a deployment runs it,
 * with DynamoDB Local).
 */
import { DynamoDbStore } from "@bourse/common/storage";
import { rpcError, testRedisUrl } from "@bourse/common/testing";
import type { Order } from "@bourse/proto/bourse/orders/v1/order_pb";
import type { StreamMyOrdersResponse } from "@bourse/proto/bourse/orders/v1/order_service_pb";
import { OrderUpdateKind } from "@bourse/proto/bourse/orders/v1/order_update_pb";
import { Code, ConnectError } from "@connectrpc/connect";
import { afterAll, beforeAll, expect, it } from "vitest";
import { eventually } from "../order-flow/support/eventually.js";
import { type OrderFlowExchange, startOrderFlowExchange } from "../order-flow/support/exchange.js";
import { orderFlowProblems } from "../order-flow/support/invariants.js";
import { seededRandom } from "../order-flow/support/random.js";
import { canonical, type Trader } from "../order-flow/support/trader.js";
import { describeWithStoresAndLocks } from "../order-flow/support/with-stores-and-locks.js";

const market = "ETH-USD";

/** An order and balances view as a client keeps it from the stream alone. */
class StreamedState {
  readonly orders = new Map<string, Order>();
  readonly balances = new Map<string, { available: string; held: string; version: bigint }>();
  last: bigint | undefined;
  readonly seenOrderIds = new Set<string>();
  readonly kinds = new Set<OrderUpdateKind>();
  starts: { sequence: bigint; resumed: boolean; asked: bigint | undefined }[] = [];

  constructor(
    private readonly exchange: OrderFlowExchange,
    private readonly trader: Trader,
  ) {}

  /**
   * Reads the stream from the last sequence applied until `updates` updates were applied (then hangs up)
   * or `signal` aborts; each update must be the next sequence.
   */
  async session(updates: number, signal: AbortSignal): Promise<void> {
    const hangUp = new AbortController();
    const stop = () => hangUp.abort();
    signal.addEventListener("abort", stop);
    let applied = 0;
    try {
      const stream = this.exchange.orderClient.streamMyOrders(
        { afterSequence: this.last },
        { ...this.trader.call, signal: hangUp.signal },
      );
      for await (const message of stream) {
        await this.apply(message);
        if (message.event.case === "update" && ++applied >= updates) break;
      }
    } catch (error) {
      if (!(hangUp.signal.aborted && ConnectError.from(error).code === Code.Canceled)) throw error;
    } finally {
      signal.removeEventListener("abort", stop);
      hangUp.abort();
    }
  }

  private async apply(message: StreamMyOrdersResponse): Promise<void> {
    const { event } = message;
    if (event.case === "start") {
      this.starts.push({ sequence: event.value.sequence, resumed: event.value.resumed, asked: this.last });
      if (event.value.resumed) {
        expect(event.value.sequence).toBe(this.last);
      } else {
        this.orders.clear();
        for (const order of await this.listOrders()) this.orders.set(order.id, order);
        this.balances.clear();
      }
      for (const balance of event.value.balances) this.keepBalance(balance);
      this.last = event.value.sequence;
    } else if (event.case === "update") {
      const update = event.value;
      // Consecutive, but for the first update ever, which starts a log at a time-based sequence.
      if (this.last) expect(update.sequence).toBe(this.last + 1n);
      this.last = update.sequence;
      this.kinds.add(update.kind);
      if (update.kind === OrderUpdateKind.TRADE) expect(update.fill?.orderId).toBe(update.order?.id);
      if (update.order) {
        this.orders.set(update.order.id, update.order);
        this.seenOrderIds.add(update.order.id);
      }
      for (const balance of update.balances) this.keepBalance(balance);
    }
  }

  private keepBalance(balance: { asset: string; available: string; held: string; version: bigint }) {
    const held = this.balances.get(balance.asset);
    if (held === undefined || balance.version > held.version) {
      this.balances.set(balance.asset, {
        available: canonical(balance.available),
        held: canonical(balance.held),
        version: balance.version,
      });
    }
  }

  async listOrders(): Promise<Order[]> {
    const orders: Order[] = [];
    let pageToken = "";
    do {
      const page = await this.exchange.orderClient.listOrders({ pageSize: 100, pageToken }, this.trader.call);
      orders.push(...page.orders);
      pageToken = page.nextPageToken;
    } while (pageToken !== "");
    return orders;
  }

  /** Status and filled quantity of every order, and every balance: the stream's view. */
  view() {
    return {
      orders: Object.fromEntries(
        [...this.orders.values()]
          .sort((a, b) => a.id.localeCompare(b.id))
          .map((order) => [order.id, [order.status, order.filledQuantity]]),
      ),
      balances: Object.fromEntries(
        [...this.balances]
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([asset, { available, held }]) => [asset, { available, held }]),
      ),
    };
  }

  /** The same, as ListOrders and GetBalances answer. */
  async truth() {
    const balances = Object.fromEntries(
      Object.entries(await this.trader.balances()).sort(([a], [b]) => a.localeCompare(b)),
    );
    return {
      orders: Object.fromEntries(
        (await this.listOrders())
          .sort((a, b) => a.id.localeCompare(b.id))
          .map((order) => [order.id, [order.status, order.filledQuantity]]),
      ),
      balances,
    };
  }
}

describeWithStoresAndLocks("user data stream", (infrastructure) => {
  let exchange: OrderFlowExchange;
  beforeAll(async () => {
    const { store, locks } = infrastructure();
    const redisUrl = store instanceof DynamoDbStore ? testRedisUrl() : null;
    exchange = await startOrderFlowExchange(store, locks, {
      markets: [market],
      env: redisUrl ? { REDIS_URL: redisUrl } : {},
    });
  });
  afterAll(() => exchange?.stop());

  it("a client that disconnects during random trading and resumes from its last sequence ends as ListOrders and GetBalances", async () => {
    const random = seededRandom(Date.now() % 1_000_000);
    const traders = await Promise.all(
      Array.from({ length: 4 }, () => exchange.trader({ USD: "100000", ETH: "100" })),
    );
    const watched = traders.slice(0, 2).map((trader) => new StreamedState(exchange, trader));
    const trading = new AbortController();
    const readers = watched.map(async (state) => {
      // Sessions of a few updates each, so that the client hangs up and resumes many times.
      while (!trading.signal.aborted) await state.session(random.int(1, 15), trading.signal);
    });

    const open = new Map<Trader, string[]>(traders.map((trader) => [trader, []]));
    for (let step = 0; step < 150; step++) {
      const trader = random.pick(traders);
      const mine = open.get(trader) ?? [];
      const action = random.next();
      try {
        if (action < 0.65 || mine.length === 0) {
          const side = random.next() < 0.5 ? "buy" : "sell";
          const placed = await trader.place({
            market,
            side,
            price: String(random.int(100, 104)),
            quantity: (random.int(5, 30) / 100).toFixed(2),
          });
          if (placed.order) mine.push(placed.order.id);
        } else if (action < 0.85) {
          await trader.cancel(mine.splice(random.int(0, mine.length - 1), 1)[0] as string);
        } else {
          await exchange.orderClient.amendOrder(
            {
              target: { case: "orderId", value: random.pick(mine) },
              price: String(random.int(99, 102)),
            },
            trader.call,
          );
        }
      } catch (error) {
        // Closed meanwhile, or an amend the hold cannot cover: refusals that change nothing.
        expect([Code.FailedPrecondition, Code.NotFound]).toContain(ConnectError.from(error).code);
      }
    }
    // Every kind of update reaches a watched client whatever the random steps did (a run can amend no order
    // that is still open): a buy below every ask rests, is amended to a lower price (which its hold covers) and
    // canceled, then a buy at an ask that another trader offers above every bid trades.
    const [first, , seller] = traders as [Trader, Trader, Trader, Trader];
    const resting = await first.place({ market, side: "buy", price: "90", quantity: "0.10" });
    const restingId = resting.order?.id ?? "";
    await exchange.orderClient.amendOrder(
      { target: { case: "orderId", value: restingId }, price: "89" },
      first.call,
    );
    await first.cancel(restingId);
    await seller.place({ market, side: "sell", price: "105", quantity: "0.10" });
    await first.place({ market, side: "buy", price: "105", quantity: "0.10" });
    trading.abort();
    await Promise.all(readers);

    for (const state of watched) {
      // The last session's tail: read until the stream has everything ListOrders and GetBalances show.
      const catchUp = new AbortController();
      const reading = state.session(Number.MAX_SAFE_INTEGER, catchUp.signal);
      let truth = await state.truth();
      await eventually(
        "the streamed orders and balances equal ListOrders and GetBalances",
        async () => {
          truth = await state.truth();
          return JSON.stringify(state.view()) === JSON.stringify(truth);
        },
        () => `stream: ${JSON.stringify(state.view())}\ntruth: ${JSON.stringify(truth)}`,
      );
      catchUp.abort();
      await reading;
      expect(state.view()).toEqual(truth);
      expect(state.starts.length).toBeGreaterThan(3);
      // Every reconnect resumed: nothing was too old for the log.
      expect(state.starts.slice(1).every((start) => start.resumed)).toBe(true);
      // Another user's orders never appear.
      const own = new Set((await state.listOrders()).map((order) => order.id));
      expect([...state.seenOrderIds].filter((id) => !own.has(id))).toEqual([]);
    }
    const kinds = new Set(watched.flatMap((state) => [...state.kinds]));
    for (const kind of [
      OrderUpdateKind.ACCEPTED,
      OrderUpdateKind.TRADE,
      OrderUpdateKind.CANCELED,
      OrderUpdateKind.AMENDED,
    ]) {
      expect(kinds.has(kind), OrderUpdateKind[kind]).toBe(true);
    }
    expect(await orderFlowProblems(exchange.store, exchange.accountIds)).toEqual([]);
  }, 120_000);

  it("tells a client whose sequence is unknown or too old to re-read, from its latest sequence", async () => {
    const trader = await exchange.trader({ USD: "1000" });
    const placed = await trader.place({ market, side: "buy", price: "50", quantity: "0.2" });
    const first = async (afterSequence?: bigint) => {
      const hangUp = new AbortController();
      try {
        for await (const message of exchange.orderClient.streamMyOrders(
          { afterSequence },
          { ...trader.call, signal: hangUp.signal },
        )) {
          if (message.event.case === "start") return message.event.value;
        }
      } finally {
        hangUp.abort();
      }
      throw new Error("the stream did not start");
    };
    const fresh = await first();
    expect(fresh.resumed).toBe(false);
    expect(fresh.sequence).toBeGreaterThan(0n);
    expect(fresh.balances.find((balance) => balance.asset === "USD")).toMatchObject({
      held: "10.02",
      available: "989.98",
    });
    // Older than anything the log ever numbered for this user, and beyond its latest.
    for (const asked of [1n, fresh.sequence + 10n]) {
      const start = await first(asked);
      expect(start).toMatchObject({ resumed: false, sequence: fresh.sequence });
    }
    // Its latest, and the one before it (the ACCEPTED of its order follows).
    expect(await first(fresh.sequence)).toMatchObject({ resumed: true, sequence: fresh.sequence });
    const hangUp = new AbortController();
    const messages: StreamMyOrdersResponse[] = [];
    for await (const message of exchange.orderClient.streamMyOrders(
      { afterSequence: fresh.sequence - 1n },
      { ...trader.call, signal: hangUp.signal },
    )) {
      messages.push(message);
      if (messages.length === 2) break;
    }
    hangUp.abort();
    const [start, accepted] = messages;
    expect(start?.event.case === "start" && start.event.value.resumed).toBe(true);
    expect(accepted?.event.case === "update" && accepted.event.value).toMatchObject({
      sequence: fresh.sequence,
      order: { id: placed.order?.id },
    });
  });

  it("refuses an unauthenticated caller", async () => {
    const refused = async () => {
      for await (const _ of exchange.orderClient.streamMyOrders({})) return;
    };
    expect(await rpcError(refused())).toMatchObject({ code: Code.Unauthenticated });
    const forged = async () => {
      for await (const _ of exchange.orderClient.streamMyOrders(
        {},
        { headers: { authorization: "Bearer not-a-token" } },
      ))
        return;
    };
    expect(await rpcError(forged())).toMatchObject({ code: Code.Unauthenticated });
  });
});
