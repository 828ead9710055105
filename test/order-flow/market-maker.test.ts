/**
 * The market maker (issue #9) against the real order flow: users, inventory, orders and matching on one
 * store and one lock service, and the market maker as `npm start` runs it, a client of their public APIs
 * with an account of its own. It must put its ladder on the books around the reference price, replace a
 * level a trader takes, keep its holds equal to what its open orders reserve, and do nothing when off.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { type RunningService, startService } from "@bourse/common";
import { decimalScale, parseDecimal } from "@bourse/common/money";
import { rpcError } from "@bourse/common/testing";
import { marketMakerService } from "@bourse/marketmaker";
import { OrderStatus, Side } from "@bourse/proto/bourse/orders/v1/order_enums_pb";
import type { Order } from "@bourse/proto/bourse/orders/v1/order_pb";
import { Code } from "@connectrpc/connect";
import { afterAll, beforeAll, expect, it } from "vitest";
import { matchingClient, type OrderFlowExchange, startOrderFlowExchange } from "./support/exchange.js";
import { orderFlowProblems } from "./support/invariants.js";
import { describeWithStoresAndLocks } from "./support/with-stores-and-locks.js";

const quoted = ["BTC-USD", "ETH-USD"] as const;
/** Matching runs it, but only the disabled market maker is configured for it. */
const unquoted = "SOL-USD";
const LEVELS = 3;

const account = { email: "market-maker@bourse.test", password: "a market maker's own password 7" };
const disabledAccount = {
  email: "idle-market-maker@bourse.test",
  password: "an idle market maker's password 7",
};

const quiet = { BIND_HOST: "127.0.0.1", RPC_PORT: "0", ADMIN_PORT: "0", LOG_LEVEL: "silent" };

/** Polls `probe` until it returns a value; the bound only turns a hang into a failure that says what. */
async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

/** `a < b` for two decimal strings, exactly. */
function below(a: string, b: string): boolean {
  const scale = Math.max(decimalScale(a), decimalScale(b));
  return parseDecimal(a, scale) < parseDecimal(b, scale);
}

/** A metric's value on a service's admin port; undefined when the service does not export it. */
async function metric(service: RunningService, sample: string): Promise<number | undefined> {
  const text = await (await fetch(`${service.adminUrl}/metrics`)).text();
  const line = text.split("\n").find((row) => row.startsWith(`${sample} `));
  return line === undefined ? undefined : Number(line.slice(sample.length + 1));
}

describeWithStoresAndLocks("market maker", (infrastructure) => {
  let exchange: OrderFlowExchange;
  let marketMaker: RunningService;
  let disabled: RunningService;
  let marketMakerCall: { headers: { authorization: string } };
  let marketMakerAccountId: string;

  const marketMakerEnv = (extra: Record<string, string>) => ({
    ...quiet,
    USERS_URL: exchange.users.users.rpcUrl,
    INVENTORY_URL: exchange.users.inventory.rpcUrl,
    ORDERS_URL: exchange.orders.rpcUrl,
    MARKETMAKER_LEVELS: String(LEVELS),
    // Wider than the simulated reference price moves in a few steps (at most 0.2% a second).
    MARKETMAKER_SPREAD_BPS: "100",
    MARKETMAKER_STEP_BPS: "10",
    MARKETMAKER_LEVEL_NOTIONAL: "100",
    MARKETMAKER_REFRESH_MS: "100",
    ...extra,
  });

  beforeAll(async () => {
    const { store, locks } = infrastructure();
    exchange = await startOrderFlowExchange(store, locks, { markets: [...quoted, unquoted] });
    marketMaker = await startService(marketMakerService, {
      env: marketMakerEnv({
        MARKETMAKER_EMAIL: account.email,
        MARKETMAKER_PASSWORD: account.password,
        MARKETMAKER_MARKETS: quoted.join(","),
      }),
    });
    disabled = await startService(marketMakerService, {
      env: marketMakerEnv({
        MARKETMAKER_ENABLED: "false",
        MARKETMAKER_EMAIL: disabledAccount.email,
        MARKETMAKER_PASSWORD: disabledAccount.password,
        MARKETMAKER_MARKETS: unquoted,
      }),
    });
    const signedIn = await waitFor("the market maker's account", () =>
      exchange.users.auth.login(account).catch(() => undefined),
    );
    marketMakerCall = { headers: { authorization: `Bearer ${signedIn.tokens?.accessToken ?? ""}` } };
    marketMakerAccountId = signedIn.user?.id ?? "";
  }, 120_000);

  afterAll(async () => {
    await marketMaker?.stop();
    await disabled?.stop();
    await exchange?.stop();
  });

  const bookStatus = (market: string) =>
    matchingClient(exchange.matching?.rpcUrl ?? "", exchange.serviceCredential).getBookStatus({ market });

  const openQuotes = async (market: string): Promise<Order[]> => {
    const { orders } = await exchange.orderClient.listOrders(
      { market, statuses: [OrderStatus.NEW, OrderStatus.PARTIALLY_FILLED] },
      marketMakerCall,
    );
    return orders;
  };

  /** The market maker's open orders once the market's book holds exactly its full ladder. */
  const fullLadder = (market: string) =>
    waitFor(`a full ladder on ${market}`, async () => {
      const [status, orders] = await Promise.all([bookStatus(market), openQuotes(market)]);
      const bids = orders.filter((order) => order.side === Side.BUY);
      const asks = orders.filter((order) => order.side === Side.SELL);
      const full = status.openOrderCount === 2 * LEVELS && bids.length === LEVELS && asks.length === LEVELS;
      return full ? { status, bids, asks } : undefined;
    });

  it("puts its ladder on each quoted book: bids below the reference price, asks above, within 3%", async () => {
    for (const market of quoted) {
      const { status, bids, asks } = await fullLadder(market);
      const base = market.split("-")[0] ?? "";
      const { prices } = await exchange.inventoryClient.getPrices({ assets: [base] });
      const reference = prices[0]?.price ?? "";
      expect(below(status.bestBid, reference), `${market} best bid ${status.bestBid} < ${reference}`).toBe(
        true,
      );
      expect(below(reference, status.bestAsk), `${market} best ask ${status.bestAsk} > ${reference}`).toBe(
        true,
      );
      const scale = Math.max(
        decimalScale(status.bestBid),
        decimalScale(status.bestAsk),
        decimalScale(reference),
      );
      const spread = parseDecimal(status.bestAsk, scale) - parseDecimal(status.bestBid, scale);
      expect(spread * 100n).toBeLessThan(3n * parseDecimal(reference, scale));
      expect(new Set(bids.map((order) => order.price)).size).toBe(LEVELS);
      expect(new Set(asks.map((order) => order.price)).size).toBe(LEVELS);
      for (const order of [...bids, ...asks]) expect(order.clientOrderId).toMatch(/^mm-[bs][1-3]-/);
    }
  });

  it("replaces a level that a trader takes", async () => {
    const market = "ETH-USD";
    const trader = await exchange.trader({ USD: "100000" });
    // The reference price walks, so the market maker may reprice the ask between the read and the
    // buy; the buy then expires unfilled, and is tried again on the new ladder.
    const taken = await waitFor("a fill of the best ask", async () => {
      const { asks } = await fullLadder(market);
      const [best] = [...asks].sort((a, b) => (below(a.price, b.price) ? -1 : 1));
      if (!best) throw new Error("no ask to take");
      const { order } = await trader.place({
        market,
        side: "buy",
        price: best.price,
        quantity: best.remainingQuantity,
        timeInForce: "IOC",
      });
      return order?.status === OrderStatus.FILLED ? best : undefined;
    });
    const refilled = await waitFor("the taken level to be quoted again", async () => {
      const { asks } = await fullLadder(market);
      return asks.some((order) => order.id === taken.id) ? undefined : asks;
    });
    const level = taken.clientOrderId.slice(0, "mm-s1-".length);
    expect(refilled.filter((order) => order.clientOrderId.startsWith(level))).toHaveLength(1);
  });

  it("quotes nothing when MARKETMAKER_ENABLED=false", async () => {
    const cycles = async () => (await metric(marketMaker, 'marketmaker_cycles_total{outcome="ok"}')) ?? 0;
    const from = await cycles();
    await waitFor("three more cycles of the enabled market maker", async () =>
      (await cycles()) >= from + 3 ? true : undefined,
    );
    expect((await bookStatus(unquoted)).openOrderCount).toBe(0);
    expect(await metric(disabled, 'marketmaker_cycles_total{outcome="ok"}')).toBeUndefined();
    expect((await rpcError(exchange.users.auth.login(disabledAccount))).code).toBe(Code.Unauthenticated);
  });

  it("keeps its holds equal to what its open orders reserve, and the ledger balanced", async () => {
    await marketMaker.stop();
    expect(await orderFlowProblems(exchange.store, [...exchange.accountIds, marketMakerAccountId])).toEqual(
      [],
    );
  });
});
