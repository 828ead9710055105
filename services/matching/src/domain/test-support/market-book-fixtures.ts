import { newOrderRecord, type OrderRecord, type TradingMarket } from "@bourse/trading";
import type { CommandOutcome } from "../outcome.js";

/**
 * A market where one tick (1 USD) times one lot (0.01 BTC) is one quote unit (0.01 USD), with the maker
 * and taker fees of the docs' example, so expected amounts are easy to work out by hand.
 */
export const MARKET: TradingMarket = {
  symbol: "BTC-USD",
  base: "BTC",
  quote: "USD",
  baseScale: 8,
  quoteScale: 2,
  tickSize: "1",
  lotSize: "0.01",
  minQuantity: "0.01",
  minNotional: "0",
  makerFeeRate: "0.001",
  takerFeeRate: "0.002",
  status: "active",
};

export const NOW = new Date("2025-01-02T03:04:05.000Z");

export interface OrderFields {
  readonly account?: string;
  readonly type?: OrderRecord["type"];
  readonly timeInForce?: OrderRecord["timeInForce"];
  readonly postOnly?: boolean;
  readonly stp?: OrderRecord["stp"];
  readonly price?: string;
  readonly quantity?: string;
  readonly quoteAmount?: string;
}

/** A pending order as the orders service stores it, with the hold `holdFor` sizes. */
export function pending(
  orderId: string,
  side: OrderRecord["side"],
  fields: OrderFields,
  market: TradingMarket = MARKET,
): OrderRecord {
  const type = fields.type ?? "limit";
  return newOrderRecord({
    orderId,
    accountId: fields.account ?? "alice",
    request: {
      market: market.symbol,
      side,
      type,
      timeInForce: fields.timeInForce ?? (type === "market" ? "IOC" : "GTC"),
      postOnly: fields.postOnly ?? false,
      stp: fields.stp ?? "EXPIRE_TAKER",
      price: fields.price ?? "",
      quantity: fields.quantity ?? "",
      quoteAmount: fields.quoteAmount ?? "",
      clientOrderId: "",
    },
    market,
    now: NOW,
  });
}

/** The order a command reports; fails the test for any other report. */
export function reported(outcome: CommandOutcome): OrderRecord {
  if (outcome.report.kind !== "order")
    throw new Error(`expected an order report, got ${outcome.report.kind}`);
  return outcome.report.order;
}

/** Every order state an outcome writes, in order: each fill's maker and taker, then the closing orders. */
export function writtenOrders(outcome: CommandOutcome): OrderRecord[] {
  return [...outcome.steps.flatMap((step) => [step.makerAfter, step.takerAfter]), ...outcome.closing.orders];
}
