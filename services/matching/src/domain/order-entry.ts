import { DecimalError } from "@bourse/common/money";
import {
  OrderAmountError,
  type OrderRecord,
  type OrderRejectReason,
  priceToTicks,
  type TradingMarket,
} from "@bourse/trading";
import type { PlaceCommand, TimeInForce } from "./commands.js";
import { isSizedByQuote, remainingEngineBudget, remainingLots } from "./order-units.js";

/**
 * How a pending order enters the engine: the place command for what remains of it, or, for a resumed order
 * whose earlier sweep already used everything, nothing to place. An amount that cannot be converted (which
 * the orders service should have refused) rejects the order, with the closest reason.
 */
export type OrderEntry =
  | { readonly kind: "place"; readonly command: PlaceCommand }
  | { readonly kind: "nothing_left" }
  | { readonly kind: "reject"; readonly reason?: OrderRejectReason };

export interface EngineNumbers {
  readonly orderId: number;
  readonly accountId: number;
}

export function orderEntry(order: OrderRecord, market: TradingMarket, numbers: EngineNumbers): OrderEntry {
  try {
    return isSizedByQuote(order)
      ? entryByQuote(order, market, numbers)
      : entryByQuantity(order, market, numbers);
  } catch (error) {
    if (error instanceof OrderAmountError) return { kind: "reject", reason: rejectReasonOf(error) };
    if (error instanceof DecimalError) return { kind: "reject" };
    throw error;
  }
}

function rejectReasonOf(error: OrderAmountError): OrderRejectReason | undefined {
  if (error.code === "PRICE_NOT_ON_TICK" || error.code === "QUANTITY_NOT_ON_LOT") return error.code;
  return undefined;
}

function entryByQuote(order: OrderRecord, market: TradingMarket, numbers: EngineNumbers): OrderEntry {
  const quoteAmount = remainingEngineBudget(order, market);
  if (quoteAmount === 0n) return { kind: "nothing_left" };
  // The engine sizes by quote only for IOC market buys: a budget has no exact fill to wait for.
  return {
    kind: "place",
    command: {
      ...common(order, numbers),
      orderType: "market",
      timeInForce: "IOC",
      price: 0,
      quantity: 0,
      quoteAmount,
    },
  };
}

function entryByQuantity(order: OrderRecord, market: TradingMarket, numbers: EngineNumbers): OrderEntry {
  const quantity = remainingLots(order, market);
  if (quantity <= 0) return { kind: "nothing_left" };
  if (order.type === "limit") {
    const price = priceToTicks(order.price, market);
    return {
      kind: "place",
      command: {
        ...common(order, numbers),
        orderType: "limit",
        timeInForce: order.timeInForce,
        price,
        quantity,
        postOnly: order.postOnly,
      },
    };
  }
  // A market order never rests. One with a price (a market buy sized in base) runs at that protection price,
  // which its hold covers, as an IOC or FOK limit order.
  const timeInForce: TimeInForce = order.timeInForce === "FOK" ? "FOK" : "IOC";
  if (order.price !== "") {
    const price = priceToTicks(order.price, market);
    return {
      kind: "place",
      command: { ...common(order, numbers), orderType: "limit", timeInForce, price, quantity },
    };
  }
  // Without a price nothing bounds what a buy would spend, so its hold could not cover it.
  if (order.side === "buy") return { kind: "reject" };
  return {
    kind: "place",
    command: { ...common(order, numbers), orderType: "market", timeInForce, price: 0, quantity },
  };
}

const common = (order: OrderRecord, numbers: EngineNumbers) =>
  ({
    type: "place",
    orderId: numbers.orderId,
    accountId: numbers.accountId,
    side: order.side,
    stp: order.stp,
  }) as const;
