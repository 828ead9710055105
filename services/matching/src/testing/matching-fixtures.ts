import { formatDecimal } from "@bourse/common/money";
import type { Store } from "@bourse/common/storage";
import { createLedger } from "@bourse/ledger";
import { newOrderRecord, type OrderRecord, orderToItem, type TradingMarket } from "@bourse/trading";
import { listTestMarket } from "@bourse/trading/testing";
import { monotonicFactory } from "ulid";

/**
 * A fresh market quoted in USD (precision 2), tick and lot 0.1, so each test has its own book. The USD
 * asset is shared by every market, as on a real exchange.
 */
export function seedMarket(store: Store): Promise<TradingMarket> {
  return listTestMarket(store, {
    quote: "USD",
    quoteScale: 2,
    tickSize: "0.1",
    lotSize: "0.1",
    minQuantity: "0.1",
  });
}

export interface PlacedOrder {
  readonly accountId: string;
  readonly side: "buy" | "sell";
  readonly price: string;
  readonly quantity: string;
  readonly timeInForce?: "GTC" | "IOC" | "FOK";
}

const newOrderId = monotonicFactory();

/**
 * What the orders service does before it submits an order: funds the account (a deposit of exactly
 * the hold), holds the order's funds under its id, and stores the order as pending.
 */
export async function acceptOrder(
  store: Store,
  market: TradingMarket,
  order: PlacedOrder,
): Promise<OrderRecord> {
  const ledger = createLedger(store);
  const now = new Date();
  const orderId = newOrderId(now.getTime());
  const record = newOrderRecord({
    orderId,
    accountId: order.accountId,
    request: {
      market: market.symbol,
      side: order.side,
      type: "limit",
      timeInForce: order.timeInForce ?? "GTC",
      postOnly: false,
      stp: "EXPIRE_TAKER",
      price: order.price,
      quantity: order.quantity,
      quoteAmount: "",
      clientOrderId: "",
    },
    market,
    now,
  });
  const scale = record.holdAsset === market.base ? market.baseScale : market.quoteScale;
  const amount = formatDecimal(record.holdAmount, scale);
  await ledger.deposit({
    accountId: order.accountId,
    asset: record.holdAsset,
    scale,
    amount,
    idempotencyKey: orderId,
  });
  await ledger.hold({ accountId: order.accountId, asset: record.holdAsset, amount, referenceId: orderId });
  await store.put(orderToItem(record));
  return record;
}

/** A fresh account id, as the users service makes them (a ULID). */
export const newAccountId = (): string => newOrderId(Date.now());
