import { randomUUID } from "node:crypto";
import { formatDecimal } from "@bourse/common/money";
import type { Store } from "@bourse/common/storage";
import { assetToItem, marketToItem } from "@bourse/inventory/items";
import { createLedger } from "@bourse/ledger";
import { holdFor, type OrderRecord, orderToItem, type TradingMarket } from "@bourse/trading";
import { monotonicFactory } from "ulid";

const QUOTE = { symbol: "USD", precision: 2 };
const BASE_PRECISION = 8;
let markets = 0;

/** A fresh market, with its two assets in inventory's catalogue items, so each test has its own book. */
export async function seedMarket(store: Store): Promise<TradingMarket> {
  const base = `T${++markets}X${randomUUID().slice(0, 6).toUpperCase()}`;
  const stamp = new Date().toISOString();
  const asset = (symbol: string, precision: number) =>
    assetToItem(
      {
        symbol,
        name: symbol,
        precision,
        coingeckoId: "",
        active: true,
        category: "test",
        marketCapRank: 0,
        createdAt: stamp,
        updatedAt: stamp,
      },
      1,
    );
  await store.put(asset(QUOTE.symbol, QUOTE.precision));
  await store.put(asset(base, BASE_PRECISION));
  const market: TradingMarket = {
    symbol: `${base}-${QUOTE.symbol}`,
    base,
    quote: QUOTE.symbol,
    baseScale: BASE_PRECISION,
    quoteScale: QUOTE.precision,
    tickSize: "0.1",
    lotSize: "0.1",
    minQuantity: "0.1",
    minNotional: "1",
    makerFeeRate: "0.001",
    takerFeeRate: "0.002",
    status: "active",
  };
  const { baseScale: _b, quoteScale: _q, ...rules } = market;
  await store.put(marketToItem({ ...rules, statusReason: "", updatedAt: stamp }, 1));
  return market;
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
  const fields = {
    side: order.side,
    type: "limit",
    price: order.price,
    quantity: order.quantity,
    quoteAmount: "",
  } as const;
  const hold = holdFor(fields, market);
  const scale = hold.asset === market.base ? market.baseScale : market.quoteScale;
  const amount = formatDecimal(hold.amount, scale);
  await ledger.deposit({
    accountId: order.accountId,
    asset: hold.asset,
    scale,
    amount,
    idempotencyKey: orderId,
  });
  await ledger.hold({ accountId: order.accountId, asset: hold.asset, amount, referenceId: orderId });
  const record: OrderRecord = {
    orderId,
    accountId: order.accountId,
    clientOrderId: "",
    market: market.symbol,
    ...fields,
    timeInForce: order.timeInForce ?? "GTC",
    postOnly: false,
    stp: "EXPIRE_TAKER",
    baseScale: market.baseScale,
    quoteScale: market.quoteScale,
    makerFeeRate: market.makerFeeRate,
    takerFeeRate: market.takerFeeRate,
    status: "NEW",
    filledBase: 0n,
    filledQuote: 0n,
    feeQuote: 0n,
    holdAsset: hold.asset,
    holdAmount: hold.amount,
    createdAt: now,
    updatedAt: now,
  };
  await store.put(orderToItem(record));
  return record;
}

/** A fresh account id, as the users service makes them (a ULID). */
export const newAccountId = (): string => newOrderId(Date.now());
