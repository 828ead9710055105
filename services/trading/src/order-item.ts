import { type Item, toBigInt } from "@bourse/common/storage";
import {
  accountOrdersPartition,
  accountOrdersSortKey,
  marketBookPartition,
  marketBookSortKey,
  OPEN_STATES,
  type OrderExpireReason,
  type OrderKind,
  type OrderRecord,
  type OrderRejectReason,
  type OrderSide,
  type OrderState,
  type OrderStp,
  type OrderTimeInForce,
  orderKey,
} from "./order-record.js";

/**
 * The order as a table item. GSI1 (the account's orders) is always set; GSI2 (the market's book) only while
 * the order is open, so the put that closes an order also takes it out of the book index.
 */
export function orderToItem(record: OrderRecord): Item {
  const open = OPEN_STATES.has(record.status);
  return {
    ...orderKey(record.orderId),
    GSI1PK: accountOrdersPartition(record.accountId),
    GSI1SK: accountOrdersSortKey(record),
    GSI2PK: open ? marketBookPartition(record.market) : undefined,
    GSI2SK: open ? marketBookSortKey(record) : undefined,
    orderId: record.orderId,
    accountId: record.accountId,
    clientOrderId: record.clientOrderId,
    market: record.market,
    side: record.side,
    type: record.type,
    timeInForce: record.timeInForce,
    postOnly: record.postOnly,
    stp: record.stp,
    price: record.price,
    quantity: record.quantity,
    quoteAmount: record.quoteAmount,
    baseScale: record.baseScale,
    quoteScale: record.quoteScale,
    makerFeeRate: record.makerFeeRate,
    takerFeeRate: record.takerFeeRate,
    status: record.status,
    rejectReason: record.rejectReason,
    expireReason: record.expireReason,
    filledBase: record.filledBase,
    filledQuote: record.filledQuote,
    feeQuote: record.feeQuote,
    holdAsset: record.holdAsset,
    holdAmount: record.holdAmount,
    bookSeq: record.bookSeq,
    createdAt: record.createdAt.toISOString(),
    updatedAt: record.updatedAt.toISOString(),
  };
}

export function orderFromItem(item: Item): OrderRecord {
  return {
    orderId: String(item.orderId),
    accountId: String(item.accountId),
    clientOrderId: String(item.clientOrderId),
    market: String(item.market),
    side: String(item.side) as OrderSide,
    type: String(item.type) as OrderKind,
    timeInForce: String(item.timeInForce) as OrderTimeInForce,
    postOnly: item.postOnly === true,
    stp: String(item.stp) as OrderStp,
    price: String(item.price),
    quantity: String(item.quantity),
    quoteAmount: String(item.quoteAmount),
    baseScale: Number(item.baseScale),
    quoteScale: Number(item.quoteScale),
    makerFeeRate: String(item.makerFeeRate),
    takerFeeRate: String(item.takerFeeRate),
    status: String(item.status) as OrderState,
    rejectReason:
      item.rejectReason === undefined ? undefined : (String(item.rejectReason) as OrderRejectReason),
    expireReason:
      item.expireReason === undefined ? undefined : (String(item.expireReason) as OrderExpireReason),
    filledBase: toBigInt(item.filledBase),
    filledQuote: toBigInt(item.filledQuote),
    feeQuote: toBigInt(item.feeQuote),
    holdAsset: String(item.holdAsset),
    holdAmount: toBigInt(item.holdAmount),
    bookSeq: item.bookSeq === undefined ? undefined : Number(item.bookSeq),
    createdAt: new Date(String(item.createdAt)),
    updatedAt: new Date(String(item.updatedAt)),
  };
}
