import { OrderStatus } from "@bourse/proto/bourse/orders/v1/order_enums_pb";
import { Code, ConnectError } from "@connectrpc/connect";
import type { Random } from "../../order-flow/support/random.js";
import type { OrderRequest, Trader } from "../../order-flow/support/trader.js";

/** What a random flow did, as the exchange acknowledged it. */
export interface FlowResult {
  readonly placed: number;
  readonly canceled: number;
  readonly trades: number;
  /**
   * Commands that changed the book, by their acknowledgements: placements that rested or traded, and
   * cancels that canceled. The book sequence advances by exactly one for each.
   */
  readonly bookChanges: number;
  /** Calls that failed other than the cancel of an order filled meanwhile. */
  readonly unexpected: readonly string[];
}

export interface FlowOptions {
  readonly market: string;
  readonly orders: number;
  /** Resting orders a trader keeps at most: beyond it, it cancels one before placing again. */
  readonly restingPerTrader: number;
}

/** Prices are whole cents around 100.00; passive orders rest up to this many cents from it. */
const PASSIVE_CENTS = 150;
/** Crossing orders reach up to this many cents past 100.00 into the other side. */
const CROSSING_CENTS = 40;

const price = (cents: number) => `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, "0")}`;

const openStatuses = new Set([OrderStatus.NEW, OrderStatus.PARTIALLY_FILLED]);

/**
 * Every trader, each in its own lane, places `orders` orders in all (shared out as they go) on one market:
 * limit orders around 100 that rest (GTC, inside a band) or cross (GTC or IOC, past the middle), a few
 * market orders (buys by quote amount, sells by quantity), and cancels of its own resting orders, at random
 * and whenever it rests more than `restingPerTrader`.
 */
export async function runRandomOrders(
  traders: readonly Trader[],
  random: Random,
  options: FlowOptions,
): Promise<FlowResult> {
  const unexpected: string[] = [];
  let placed = 0;
  let canceled = 0;
  let trades = 0;
  let bookChanges = 0;

  const cancelOne = async (trader: Trader, resting: string[]) => {
    const orderId = resting.splice(random.int(0, resting.length - 1), 1)[0] as string;
    try {
      const order = await trader.cancel(orderId);
      if (order.status === OrderStatus.CANCELED) {
        canceled++;
        bookChanges++;
      }
    } catch (error) {
      // Filled while it rested: part of the mix, not a failure.
      if (ConnectError.from(error).code !== Code.FailedPrecondition) {
        unexpected.push(`CancelOrder: ${(error as Error).message}`);
      }
    }
  };

  const orderRequest = (): OrderRequest => {
    const { market } = options;
    const side = random.next() < 0.5 ? "buy" : "sell";
    const roll = random.next();
    if (roll < 0.03) {
      return side === "buy"
        ? { market, side, type: "market", quoteAmount: String(random.int(10, 80)) }
        : { market, side, type: "market", quantity: `0.${random.int(1, 9)}` };
    }
    const crossing = roll < 0.35;
    const away = crossing ? -random.int(0, CROSSING_CENTS) : random.int(1, PASSIVE_CENTS);
    const cents = side === "buy" ? 10_000 - away : 10_000 + away;
    return {
      market,
      side,
      price: price(cents),
      quantity: `${random.int(0, 2)}.${random.int(10, 99)}`,
      timeInForce: crossing && random.next() < 0.5 ? "IOC" : "GTC",
    };
  };

  const place = async (trader: Trader, resting: string[]) => {
    placed++;
    try {
      const response = await trader.place(orderRequest());
      const order = response.order;
      if (!order) throw new Error("PlaceOrder answered without an order");
      trades += response.trades.length;
      const rests = openStatuses.has(order.status);
      if (rests) resting.push(order.id);
      if (rests || response.trades.length > 0) bookChanges++;
    } catch (error) {
      unexpected.push(`PlaceOrder: ${(error as Error).message}`);
    }
  };

  await Promise.all(
    traders.map(async (trader) => {
      const resting: string[] = [];
      while (placed < options.orders) {
        const cancel =
          resting.length > 0 && (resting.length >= options.restingPerTrader || random.next() < 0.15);
        if (cancel) await cancelOne(trader, resting);
        else await place(trader, resting);
      }
    }),
  );
  return { placed, canceled, trades, bookChanges, unexpected };
}
