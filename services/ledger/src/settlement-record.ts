import { DecimalError, decimalScale, formatDecimal, parseDecimal } from "@bourse/common/money";
import { cond, type Item, type TransactItem, toBigInt } from "@bourse/common/storage";
import { tradeSettlementKey } from "./keys.js";
import { LedgerError } from "./ledger-error.js";
import type { SettlementParty, TradeToSettle } from "./settlement.js";
import type { LedgerStamp } from "./stamp.js";

/** One side of a settled trade. */
export interface SettledParty {
  readonly accountId: string;
  readonly orderId: string;
  readonly holdReferenceId: string;
  readonly maker: boolean;
  /** Quote units, on both sides (fees are charged in quote). */
  readonly fee: bigint;
}

/**
 * What the settlement record of a trade keeps: everything that decided how money moved, so that a
 * replay can be told apart from a different trade under the same market and trade id.
 */
export interface SettledTrade {
  readonly market: string;
  readonly tradeId: string;
  readonly sequence: bigint;
  /** Canonical decimal: no trailing fractional zeros. */
  readonly price: string;
  readonly baseScale: number;
  readonly quoteScale: number;
  readonly quantity: bigint;
  readonly quoteAmount: bigint;
  readonly buyer: SettledParty;
  readonly seller: SettledParty;
}

/** `price` without trailing fractional zeros, so "2000.50" and "2000.5" are the same price. */
export function canonicalPrice(price: string): string {
  const scale = decimalScale(price);
  return formatDecimal(parseDecimal(price, scale), scale, { trimZeros: true });
}

/** The record's put, created only if new: a concurrent duplicate fails the transaction. */
export function settlementRecordPut(trade: SettledTrade, executedAt: Date, stamp: LedgerStamp): TransactItem {
  const party = (prefix: "buyer" | "seller", side: SettledParty) => ({
    [`${prefix}AccountId`]: side.accountId,
    [`${prefix}OrderId`]: side.orderId,
    [`${prefix}HoldReferenceId`]: side.holdReferenceId,
    [`${prefix}Maker`]: side.maker,
    [`${prefix}Fee`]: side.fee,
  });
  return {
    kind: "put",
    item: {
      ...tradeSettlementKey(trade.market, trade.tradeId),
      market: trade.market,
      tradeId: trade.tradeId,
      sequence: trade.sequence,
      price: trade.price,
      baseScale: trade.baseScale,
      quoteScale: trade.quoteScale,
      quantity: trade.quantity,
      quoteAmount: trade.quoteAmount,
      ...party("buyer", trade.buyer),
      ...party("seller", trade.seller),
      executedAt: executedAt.toISOString(),
      settledAt: stamp.at.toISOString(),
    },
    condition: cond.notExists("PK"),
  };
}

function field<T>(item: Item, name: string, is: (value: unknown) => value is T): T {
  const value = item[name];
  if (!is(value)) throw new LedgerError("inconsistent_state", `settlement record ${item.PK} lacks ${name}`);
  return value;
}

const isString = (value: unknown): value is string => typeof value === "string";
const isBoolean = (value: unknown): value is boolean => typeof value === "boolean";
const isInteger = (value: unknown): value is number => Number.isSafeInteger(value);
const isUnits = (value: unknown): value is number | bigint =>
  typeof value === "bigint" || typeof value === "number";

export function settledTradeFromItem(item: Item): SettledTrade {
  const party = (prefix: "buyer" | "seller"): SettledParty => ({
    accountId: field(item, `${prefix}AccountId`, isString),
    orderId: field(item, `${prefix}OrderId`, isString),
    holdReferenceId: field(item, `${prefix}HoldReferenceId`, isString),
    maker: field(item, `${prefix}Maker`, isBoolean),
    fee: toBigInt(field(item, `${prefix}Fee`, isUnits)),
  });
  return {
    market: field(item, "market", isString),
    tradeId: field(item, "tradeId", isString),
    sequence: toBigInt(field(item, "sequence", isUnits)),
    price: field(item, "price", isString),
    baseScale: field(item, "baseScale", isInteger),
    quoteScale: field(item, "quoteScale", isInteger),
    quantity: toBigInt(field(item, "quantity", isUnits)),
    quoteAmount: toBigInt(field(item, "quoteAmount", isUnits)),
    buyer: party("buyer"),
    seller: party("seller"),
  };
}

/** Units of `text` at `scale`, or undefined when it is not a decimal that fits: such a value cannot match. */
function unitsOf(text: string, scale: number): bigint | undefined {
  try {
    return parseDecimal(text, scale);
  } catch (error) {
    if (error instanceof DecimalError) return undefined;
    throw error;
  }
}

function priceOf(text: string): string | undefined {
  try {
    return canonicalPrice(text);
  } catch (error) {
    if (error instanceof DecimalError) return undefined;
    throw error;
  }
}

const sameParty = (settled: SettledParty, replay: SettlementParty, feeScale: number) =>
  settled.accountId === replay.accountId &&
  settled.orderId === replay.orderId &&
  settled.holdReferenceId === replay.holdReferenceId &&
  settled.maker === replay.maker &&
  settled.fee === unitsOf(replay.fee, feeScale);

/**
 * A trade presented again under a settled market and trade id must be the same trade (amounts by
 * value), or it is an idempotency conflict: never a silent success that moved no money.
 */
export function checkSameTrade(settled: SettledTrade, replay: TradeToSettle): void {
  const same =
    settled.market === replay.market &&
    settled.tradeId === replay.tradeId &&
    settled.sequence === replay.sequence &&
    settled.price === priceOf(replay.price) &&
    settled.quantity === unitsOf(replay.quantity, settled.baseScale) &&
    settled.quoteAmount === unitsOf(replay.quoteAmount, settled.quoteScale) &&
    sameParty(settled.buyer, replay.buyer, settled.quoteScale) &&
    sameParty(settled.seller, replay.seller, settled.quoteScale);
  if (!same) {
    throw new LedgerError(
      "idempotency_conflict",
      `trade ${replay.tradeId} of ${replay.market} was settled with different fields`,
    );
  }
}
