import { performance } from "node:perf_hooks";
import { createServiceClient } from "@bourse/common";
import { OrderStatus, OrderType, Side, TimeInForce } from "@bourse/proto/bourse/orders/v1/order_enums_pb";
import { OrderService } from "@bourse/proto/bourse/orders/v1/order_service_pb";
import { AuthService } from "@bourse/proto/bourse/users/v1/auth_service_pb";
import { BalanceService } from "@bourse/proto/bourse/users/v1/balance_service_pb";
import { Code, ConnectError } from "@connectrpc/connect";
import {
  closedLoop,
  failureLines,
  type LoadResult,
  openLoop,
  type PacedLimit,
  type PacedResult,
} from "./load.js";

/** Every order is for this many base units at a price near MID: a notional above every seed market's minimum. */
const QUANTITY = "1";
const MID_CENTS = 10_000;
/** Passive orders rest 1..SPREAD_TICKS cents away from MID; aggressive IOC orders reach SPREAD_TICKS past it. */
const SPREAD_TICKS = 20;
/** Each trader keeps at most this many resting orders; placing beyond it cancels its oldest first. */
const RESTING_PER_TRADER = 4;
const FUNDING = { quote: "10000000", base: "1000000" };

export interface Trader {
  readonly accountId: string;
  readonly market: string;
  readonly headers: { authorization: string };
  /** Its resting orders, oldest first. */
  readonly resting: string[];
}

const price = (cents: number) => `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, "0")}`;

/** Registers `count` users and funds each with the base and quote of the market it trades. */
export async function prepareTraders(
  urls: { users: string },
  count: number,
  markets: readonly string[],
): Promise<Trader[]> {
  const auth = createServiceClient(AuthService, { baseUrl: urls.users, caller: "bench" });
  const balances = createServiceClient(BalanceService, { baseUrl: urls.users, caller: "bench" });
  const run = Date.now().toString(36);
  const traders: Trader[] = [];
  const register = async (index: number) => {
    const market = markets[index % markets.length] ?? "";
    const { user, tokens } = await auth.register({
      email: `bench-${run}-${index}@example.com`,
      password: `bench orders passphrase ${index}`,
      displayName: `Bench ${index}`,
    });
    const headers = { authorization: `Bearer ${tokens?.accessToken}` };
    const [base = "", quote = ""] = market.split("-");
    await balances.deposit(
      { asset: quote, amount: FUNDING.quote, idempotencyKey: "bench-quote" },
      { headers },
    );
    await balances.deposit({ asset: base, amount: FUNDING.base, idempotencyKey: "bench-base" }, { headers });
    traders[index] = { accountId: user?.id ?? "", market, headers, resting: [] };
  };
  // Registration hashes a password (argon2id): a few at a time is as fast as it gets on a small machine.
  const queue = Array.from({ length: count }, (_, index) => index);
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      for (let index = queue.shift(); index !== undefined; index = queue.shift()) await register(index);
    }),
  );
  return traders;
}

export interface OrderLoadResult {
  readonly load: LoadResult;
  readonly placed: number;
  readonly canceled: number;
  /** Trades made by the orders placed (each counted once, on its taker's response). */
  readonly trades: number;
  /** PlaceOrder latencies in milliseconds, sorted. */
  readonly placeLatenciesMs: Float64Array;
  /** CancelOrder latencies in milliseconds, sorted, those of orders filled meanwhile included. */
  readonly cancelLatenciesMs: Float64Array;
  readonly statuses: ReadonlyMap<string, number>;
  readonly failures: string[];
}

/**
 * The calls of one order load and their counts. `step(trader)` is a trader's next call: it places a limit
 * order on its market (half passive GTC orders inside the spread band that rest, half aggressive IOC orders
 * across it that trade with other traders' resting orders, or expire), or, holding RESTING_PER_TRADER
 * resting orders, cancels its oldest first, so every trader alternates places and cancels once the book
 * fills.
 */
function orderSession(urls: { orders: string }) {
  const orders = createServiceClient(OrderService, { baseUrl: urls.orders, caller: "bench" });
  const placeLatencies: number[] = [];
  const cancelLatencies: number[] = [];
  const statuses = new Map<string, number>();
  let placed = 0;
  let canceled = 0;
  let trades = 0;
  let random = 0x9e3779b9;
  const next = (bound: number) => {
    random = (Math.imul(random ^ (random >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
    return random % bound;
  };

  const cancelOldest = async (trader: Trader) => {
    const orderId = trader.resting.shift() ?? "";
    const start = performance.now();
    try {
      await orders.cancelOrder({ target: { case: "orderId", value: orderId } }, { headers: trader.headers });
      canceled++;
    } catch (error) {
      // Filled while it rested: nothing to cancel, which is part of the mix and not a failure.
      if (ConnectError.from(error).code !== Code.FailedPrecondition) throw error;
    }
    cancelLatencies.push(performance.now() - start);
  };

  const place = async (trader: Trader) => {
    const side = next(2) === 0 ? Side.BUY : Side.SELL;
    const aggressive = next(2) === 0;
    const away = aggressive ? -SPREAD_TICKS : 1 + next(SPREAD_TICKS);
    const cents = side === Side.BUY ? MID_CENTS - away : MID_CENTS + away;
    const start = performance.now();
    const response = await orders.placeOrder(
      {
        market: trader.market,
        side,
        type: OrderType.LIMIT,
        timeInForce: aggressive ? TimeInForce.IOC : TimeInForce.GTC,
        price: price(cents),
        size: { case: "quantity", value: QUANTITY },
      },
      { headers: trader.headers },
    );
    placeLatencies.push(performance.now() - start);
    placed++;
    trades += response.trades.length;
    const status = response.order?.status ?? OrderStatus.UNSPECIFIED;
    const name = OrderStatus[status] ?? String(status);
    statuses.set(name, (statuses.get(name) ?? 0) + 1);
    const open = status === OrderStatus.NEW || status === OrderStatus.PARTIALLY_FILLED;
    if (open && response.order) trader.resting.push(response.order.id);
  };

  const step = (trader: Trader) =>
    trader.resting.length >= RESTING_PER_TRADER ? cancelOldest(trader) : place(trader);
  const result = (load: LoadResult): OrderLoadResult => ({
    load,
    placed,
    canceled,
    trades,
    placeLatenciesMs: Float64Array.from(placeLatencies).sort(),
    cancelLatenciesMs: Float64Array.from(cancelLatencies).sort(),
    statuses,
    failures: failureLines(load),
  });
  return { step, result };
}

/** Each trader, one per lane, makes its next call as soon as its previous one answered (a closed loop). */
export async function runOrderLoad(
  urls: { orders: string },
  traders: readonly Trader[],
  limit: { seconds: number },
): Promise<OrderLoadResult> {
  const session = orderSession(urls);
  const load = await closedLoop({ seconds: limit.seconds, concurrency: traders.length }, (lane) =>
    session.step(traders[lane] as Trader),
  );
  return session.result(load);
}

/**
 * The same calls started at a fixed rate, on a timer (an open loop), by the traders in turn, whether or not
 * their previous calls have answered.
 */
export async function runPacedOrderLoad(
  urls: { orders: string },
  traders: readonly Trader[],
  limit: PacedLimit,
): Promise<OrderLoadResult & { readonly paced: PacedResult }> {
  const session = orderSession(urls);
  const paced = await openLoop(limit, (index) => session.step(traders[index % traders.length] as Trader));
  return { ...session.result(paced), paced };
}
