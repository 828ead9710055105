import { formatDecimal } from "@bourse/common/money";
import { lotsToQuantity, type OrderRecord, type TradingMarket, ticksToPrice } from "@bourse/trading";
import fc from "fast-check";
import type { MarketBook } from "../market-book.js";
import type { CommandOutcome } from "../outcome.js";
import { MARKET, NOW, pending } from "./market-book-fixtures.js";

/**
 * Random command streams for a MarketBook: few accounts and prices around 100, so that orders cross,
 * self-trade, rest in multi-order queues and get amended and canceled while resting.
 */

/** A second market with a notional unit of 5 quote units and a maker rate above the taker's. */
const COARSE_MARKET: TradingMarket = {
  ...MARKET,
  symbol: "ETH-EUR",
  base: "ETH",
  quote: "EUR",
  quoteScale: 4,
  tickSize: "0.5",
  lotSize: "0.001",
  makerFeeRate: "0.0025",
  takerFeeRate: "0.0005",
};

export const markets = fc.constantFrom(MARKET, COARSE_MARKET);

const ACCOUNTS = ["acct0", "acct1", "acct2", "acct3"];

export type StreamCommand =
  | {
      readonly kind: "submit";
      readonly account: number;
      readonly side: "buy" | "sell";
      readonly type: "limit" | "market";
      readonly timeInForce: "GTC" | "IOC" | "FOK";
      readonly postOnly: boolean;
      readonly stp: OrderRecord["stp"];
      readonly ticks: number;
      readonly lots: number;
      /** Market buys: sized by this budget in quote units when set, else by lots at `ticks`. */
      readonly budget: number | null;
    }
  | { readonly kind: "cancel"; readonly pick: number; readonly wrongAccount: boolean }
  | {
      readonly kind: "amend";
      readonly pick: number;
      readonly ticks: number | null;
      readonly lots: number | null;
    };

const submit = fc.record({
  kind: fc.constant("submit" as const),
  account: fc.integer({ min: 0, max: ACCOUNTS.length - 1 }),
  side: fc.constantFrom("buy" as const, "sell" as const),
  type: fc.constantFrom("limit" as const, "limit" as const, "limit" as const, "market" as const),
  timeInForce: fc.constantFrom(
    "GTC" as const,
    "GTC" as const,
    "GTC" as const,
    "IOC" as const,
    "FOK" as const,
  ),
  postOnly: fc.boolean(),
  stp: fc.constantFrom("EXPIRE_TAKER" as const, "EXPIRE_MAKER" as const, "EXPIRE_BOTH" as const),
  ticks: fc.integer({ min: 194, max: 206 }),
  lots: fc.integer({ min: 1, max: 300 }),
  budget: fc.option(fc.integer({ min: 1, max: 400_000 })),
});
const cancel = fc.record({
  kind: fc.constant("cancel" as const),
  pick: fc.nat(),
  wrongAccount: fc.boolean(),
});
const amend = fc.record({
  kind: fc.constant("amend" as const),
  pick: fc.nat(),
  ticks: fc.option(fc.integer({ min: 194, max: 206 })),
  lots: fc.option(fc.integer({ min: 1, max: 300 })),
});

export const commandStream = (length: number): fc.Arbitrary<StreamCommand[]> =>
  fc.array(
    fc.oneof(
      { weight: 6, arbitrary: submit },
      { weight: 2, arbitrary: cancel },
      { weight: 2, arbitrary: amend },
    ),
    {
      minLength: length / 2,
      maxLength: length,
    },
  );

/** Runs one stream command; `placed` lists the orders submitted so far, which cancels and amends may pick. */
export function runCommand(
  book: MarketBook,
  market: TradingMarket,
  command: StreamCommand,
  placed: OrderRecord[],
): CommandOutcome | undefined {
  if (command.kind === "submit") {
    const order = orderOf(market, command, `O${String(placed.length).padStart(6, "0")}`);
    placed.push(order);
    return book.submit(order, NOW);
  }
  // Mostly an order in the book, sometimes any order placed (done ones included).
  const resting = book.restingRecords();
  const candidates = command.pick % 4 === 0 || resting.length === 0 ? placed : resting;
  const target = candidates[Math.floor(command.pick / 4) % Math.max(candidates.length, 1)];
  if (target === undefined) return undefined;
  if (command.kind === "cancel") {
    return book.cancel(target.orderId, command.wrongAccount ? "mallory" : target.accountId, NOW);
  }
  const change = {
    ...(command.ticks === null ? {} : { price: ticksToPrice(command.ticks, market) }),
    ...(command.lots === null ? {} : { remainingQuantity: lotsToQuantity(command.lots, market) }),
  };
  return book.amend(target.orderId, target.accountId, change, NOW);
}

function orderOf(
  market: TradingMarket,
  command: StreamCommand & { kind: "submit" },
  orderId: string,
): OrderRecord {
  const { side, type } = command;
  const account = ACCOUNTS[command.account] as string;
  const price = ticksToPrice(command.ticks, market);
  const quantity = lotsToQuantity(command.lots, market);
  const common = { account, stp: command.stp };
  if (type === "limit") {
    const postOnly = command.postOnly && command.timeInForce === "GTC";
    return pending(
      orderId,
      side,
      { ...common, timeInForce: command.timeInForce, postOnly, price, quantity },
      market,
    );
  }
  const timeInForce = command.timeInForce === "FOK" ? "FOK" : "IOC";
  if (side === "sell") return pending(orderId, side, { ...common, type, timeInForce, quantity }, market);
  if (command.budget === null)
    return pending(orderId, side, { ...common, type, timeInForce, price, quantity }, market);
  const quoteAmount = formatDecimal(BigInt(command.budget), market.quoteScale);
  return pending(orderId, side, { ...common, type, timeInForce: "IOC", quoteAmount }, market);
}
