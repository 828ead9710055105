import {
  type AmendCommand,
  type CancelCommand,
  type Command,
  Engine,
  EventRecorder,
  type PlaceCommand,
  type Side,
} from "../../services/matching/src/domain/index.js";
import { Random } from "./random.js";

/**
 * The shape of exchange-core's throughput test: one market, about 1,000 accounts and 1,000 resting orders
 * over about 750 price levels, and a mix of 9% GTC places, 3% IOC places, 6% cancels and 82% amends that
 * move the price, about 6% of commands trading.
 */
export const ACCOUNTS = 1000;
const TARGET_ORDERS = 1000;
/** Passive orders land up to this many ticks behind the touch, denser near it; ~950 orders then use ~720 levels. */
const DEPTH_TICKS = 1500;
const CENTER = 1_000_000;
const MAX_LOTS = 100;
/** Shares of the mix, cumulative. */
const GTC = 0.09;
const IOC = GTC + 0.03;
const CANCEL = IOC + 0.06;
/** How often a GTC place or a price move is made aggressive (crosses the spread). */
const AGGRESSIVE_GTC = 0.2;
/** At the target book size; scaled by the book's size relative to it, which keeps the book steady. */
const AGGRESSIVE_MOVE = 0.007;

export interface Workload {
  /** Places that build the initial book; run untimed. */
  readonly setup: Command[];
  readonly commands: Command[];
  readonly stats: WorkloadStats;
}

export interface WorkloadStats {
  readonly places: number;
  readonly iocs: number;
  readonly cancels: number;
  readonly amends: number;
  /** Share of commands that produced at least one trade. */
  readonly tradingShare: number;
  readonly averageOrders: number;
  readonly averageLevels: number;
}

interface Resting {
  readonly id: number;
  readonly account: number;
  readonly side: Side;
}

/**
 * Generates the stream against a shadow engine, so every cancel and amend names a live order with its
 * true open quantity, as a real client would. Generation is never timed.
 */
export function generateWorkload(count: number, seed: number): Workload {
  const random = new Random(seed);
  const recorder = new EventRecorder();
  const events = recorder.events;
  const shadow = new Engine({ minQuantity: 1, minNotional: 0n }, recorder);
  const live: Resting[] = [];
  const slot = new Map<number, number>();
  /** Live orders per account and side, to keep self-trades out of the stream (see `place`). */
  const held = new Int32Array((ACCOUNTS + 1) * 2);
  const heldAt = (account: number, side: Side) => account * 2 + (side === "buy" ? 0 : 1);
  const holds = (account: number, side: Side) => (held[heldAt(account, side)] ?? 0) > 0;
  const hold = (resting: Resting, delta: number) => {
    const at = heldAt(resting.account, resting.side);
    held[at] = (held[at] ?? 0) + delta;
  };
  let nextId = 1;

  const forget = (id: number) => {
    const index = slot.get(id);
    if (index === undefined) return;
    const gone = live[index] as Resting;
    hold(gone, -1);
    const last = live.pop() as Resting;
    if (last.id !== id) {
      live[index] = last;
      slot.set(last.id, index);
    }
    slot.delete(id);
  };
  const track = (resting: Resting) => {
    if (shadow.order(resting.id) !== undefined && !slot.has(resting.id)) {
      slot.set(resting.id, live.length);
      live.push(resting);
      hold(resting, 1);
    }
  };
  const apply = (command: Command, resting: Resting | null): boolean => {
    events.length = 0;
    shadow.execute(command);
    let traded = false;
    for (const event of events) {
      if (event.type === "trade") {
        traded = true;
        if (event.makerRemaining === 0) forget(event.makerOrderId);
      } else if (event.type === "canceled" || event.type === "expired") {
        forget(event.orderId);
      }
    }
    if (resting !== null) {
      if (shadow.order(resting.id) === undefined) forget(resting.id);
      else track(resting);
    }
    return traded;
  };

  const touch = (side: Side): number =>
    side === "buy" ? (shadow.bestAsk() ?? CENTER + 1) - 1 : (shadow.bestBid() ?? CENTER - 1) + 1;
  const passivePrice = (side: Side) => {
    const back = Math.floor(random.next() * random.next() * DEPTH_TICKS);
    return side === "buy" ? touch("buy") - back : touch("sell") + back;
  };
  const aggressivePrice = (side: Side) =>
    (side === "buy" ? touch("buy") + 1 : touch("sell") - 1) +
    (side === "buy" ? random.int(0, 2) : -random.int(0, 2));
  const lots = () => random.int(1, MAX_LOTS);
  /** Takers are small next to resting orders, as in a real book, so they nibble at the touch. */
  const takerLots = () => random.int(1, MAX_LOTS / 10);
  const pressure = () => (live.length / TARGET_ORDERS) ** 4;
  const opposite = (side: Side): Side => (side === "buy" ? "sell" : "buy");
  /**
   * nodejs-order-book forgets an order's account when it is modified, so it cannot prevent self-trades
   * the way we do. An aggressor is therefore never given an account resting on the other side, and both
   * books see the same trades.
   */
  const takerAccount = (side: Side) => {
    let account = random.int(1, ACCOUNTS);
    while (holds(account, opposite(side))) account = random.int(1, ACCOUNTS);
    return account;
  };
  const place = (
    side: Side,
    price: number,
    quantity: number,
    tif: "GTC" | "IOC",
    account: number,
  ): PlaceCommand => ({
    type: "place",
    orderId: nextId++,
    accountId: account,
    side,
    orderType: "limit",
    timeInForce: tif,
    price,
    quantity,
    quoteAmount: 0n,
    postOnly: false,
    stp: "EXPIRE_TAKER",
  });
  const side = (): Side => (random.next() < 0.5 ? "buy" : "sell");

  const setup: Command[] = [];
  while (live.length < TARGET_ORDERS) {
    const s = side();
    const command = place(s, passivePrice(s), lots(), "GTC", random.int(1, ACCOUNTS));
    setup.push(command);
    apply(command, { id: command.orderId, account: command.accountId, side: s });
  }

  const commands: Command[] = new Array(count);
  let places = 0;
  let iocs = 0;
  let cancels = 0;
  let amends = 0;
  let trading = 0;
  let orders = 0;
  let levels = 0;
  for (let i = 0; i < count; i++) {
    const roll = random.next();
    let command: Command;
    let resting: Resting | null = null;
    if (roll < GTC || live.length === 0) {
      const s = side();
      const aggressive = random.next() < AGGRESSIVE_GTC;
      command = aggressive
        ? place(s, aggressivePrice(s), takerLots(), "GTC", takerAccount(s))
        : place(s, passivePrice(s), lots(), "GTC", random.int(1, ACCOUNTS));
      resting = { id: command.orderId, account: command.accountId, side: s };
      places++;
    } else if (roll < IOC) {
      const s = side();
      command = place(s, aggressivePrice(s), takerLots(), "IOC", takerAccount(s));
      iocs++;
    } else {
      const target = live[random.int(0, live.length - 1)] as Resting;
      if (roll < CANCEL) {
        command = { type: "cancel", orderId: target.id, accountId: target.account } satisfies CancelCommand;
        cancels++;
      } else {
        const order = shadow.order(target.id);
        const current = order?.price ?? 0;
        const crosses =
          random.next() < AGGRESSIVE_MOVE * pressure() &&
          held[heldAt(target.account, opposite(target.side))] === 0;
        let price = crosses ? aggressivePrice(target.side) : passivePrice(target.side);
        if (price === current) price += target.side === "buy" ? -1 : 1;
        command = {
          type: "amend",
          orderId: target.id,
          accountId: target.account,
          price,
          quantity: order?.remaining ?? 1,
        } satisfies AmendCommand;
        resting = target;
        amends++;
      }
    }
    commands[i] = command;
    if (apply(command, resting)) trading++;
    orders += shadow.orderCount;
    if ((i & 1023) === 0) {
      const depth = shadow.depth(Number.MAX_SAFE_INTEGER);
      levels += (depth.bids.length + depth.asks.length) * 1024;
    }
  }
  return {
    setup,
    commands,
    stats: {
      places,
      iocs,
      cancels,
      amends,
      tradingShare: trading / count,
      averageOrders: orders / count,
      averageLevels: levels / count,
    },
  };
}
