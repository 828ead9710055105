import { parseMarketSymbol } from "@bourse/common/identifiers";
import { DecimalError, decimalScale, parseDecimal } from "@bourse/common/money";
import type { TransactItem } from "@bourse/common/storage";
import type { Movement } from "./balance-mutation.js";
import { checkAsset, checkIdentifier, parseAmount } from "./checks.js";
import { EXCHANGE_ACCOUNT_PREFIX, feeAccountId } from "./keys.js";
import { LedgerError } from "./ledger-error.js";
import { canonicalPrice, type SettledTrade } from "./settlement-record.js";
import type { LedgerEntry } from "./types.js";

/** One side of a trade. */
export interface SettlementParty {
  readonly accountId: string;
  readonly orderId: string;
  /** The hold that pays: quote (notional and fee) for the buyer, base for the seller. */
  readonly holdReferenceId: string;
  readonly maker: boolean;
  /**
   * Decimal fee in the quote asset, on both sides; "0" for none. The buyer pays it on top of the quote
   * amount, out of its hold; the seller's is taken from its quote proceeds.
   */
  readonly fee: string;
}

/** An executed trade, as the matcher reports it; amounts are decimal strings. */
export interface TradeToSettle {
  /** Unique within its market; settlement is idempotent by market and trade id. */
  readonly tradeId: string;
  /** "BASE-QUOTE". */
  readonly market: string;
  readonly sequence: bigint;
  readonly price: string;
  readonly quantity: string;
  /** Exactly price × quantity. */
  readonly quoteAmount: string;
  readonly executedAt: Date;
  readonly buyer: SettlementParty;
  readonly seller: SettlementParty;
}

/** What one trade did to the ledger, for callers that add their own items to its transaction. */
export interface SettlementPlan {
  readonly entries: readonly LedgerEntry[];
  /** Balance writes, entries, hold consumption and the settlement record. */
  readonly items: readonly TransactItem[];
}

export function parseMarket(market: string): { readonly base: string; readonly quote: string } {
  const pair = parseMarketSymbol(market);
  if (!pair) throw new LedgerError("invalid_argument", "market must be BASE-QUOTE, e.g. BTC-USD");
  return pair;
}

/** The balances a trade may change: both assets of both sides, and the quote of the market's fee account. */
export function touchedBalances(trade: TradeToSettle): Array<readonly [accountId: string, asset: string]> {
  const { base, quote } = parseMarket(trade.market);
  return [
    [trade.buyer.accountId, quote],
    [trade.buyer.accountId, base],
    [trade.seller.accountId, base],
    [trade.seller.accountId, quote],
    [feeAccountId(trade.market), quote],
  ];
}

export function checkParties(trade: TradeToSettle): void {
  checkIdentifier("trade_id", trade.tradeId);
  for (const party of [trade.buyer, trade.seller]) {
    checkIdentifier("account_id", party.accountId);
    checkIdentifier("order_id", party.orderId);
    checkIdentifier("hold_reference_id", party.holdReferenceId);
    if (party.accountId.startsWith(EXCHANGE_ACCOUNT_PREFIX)) {
      throw new LedgerError("invalid_argument", "the exchange's own accounts cannot trade");
    }
  }
  if (trade.buyer.accountId === trade.seller.accountId) {
    throw new LedgerError("invalid_argument", "buyer and seller must be different accounts");
  }
}

/** Refuses a quote amount that is not exactly price × quantity. */
function checkNotional(
  trade: TradeToSettle,
  quantity: bigint,
  baseScale: number,
  quote: bigint,
  quoteScale: number,
) {
  let price: bigint;
  let priceScale: number;
  try {
    priceScale = decimalScale(trade.price);
    price = parseDecimal(trade.price, priceScale);
  } catch (error) {
    if (error instanceof DecimalError) throw new LedgerError("invalid_argument", "price must be a decimal");
    throw error;
  }
  const notional = price * quantity * 10n ** BigInt(quoteScale);
  if (price === 0n || notional !== quote * 10n ** BigInt(priceScale + baseScale)) {
    throw new LedgerError(
      "invalid_argument",
      `quote_amount of trade ${trade.tradeId} is not price × quantity`,
    );
  }
}

/**
 * Validates a trade and turns its decimals into units of its assets' scales (those of the balances that
 * pay: the seller's base and the buyer's quote). Throws `LedgerError` for a malformed trade.
 */
export function settledTradeOf(trade: TradeToSettle, baseScale: number, quoteScale: number): SettledTrade {
  checkParties(trade);
  const { base, quote } = parseMarket(trade.market);
  checkAsset(base);
  checkAsset(quote);
  const quantity = parseAmount("quantity", trade.quantity, baseScale, { positive: true });
  const quoteAmount = parseAmount("quote_amount", trade.quoteAmount, quoteScale, { positive: true });
  const buyerFee = parseAmount("buyer fee", trade.buyer.fee, quoteScale, { positive: false });
  const sellerFee = parseAmount("seller fee", trade.seller.fee, quoteScale, { positive: false });
  if (sellerFee > quoteAmount) {
    throw new LedgerError("invalid_argument", "the seller's fee cannot exceed its proceeds");
  }
  checkNotional(trade, quantity, baseScale, quoteAmount, quoteScale);
  return {
    market: trade.market,
    tradeId: trade.tradeId,
    sequence: trade.sequence,
    price: canonicalPrice(trade.price),
    baseScale,
    quoteScale,
    quantity,
    quoteAmount,
    buyer: { ...trade.buyer, fee: buyerFee },
    seller: { ...trade.seller, fee: sellerFee },
  };
}

/** One balance a trade changes, and how. */
export interface TradeBalanceChange {
  readonly accountId: string;
  readonly asset: string;
  readonly scale: number;
  readonly movements: readonly Movement[];
}

/** What a trade takes from one side's hold. */
export interface TradeHoldCharge {
  readonly accountId: string;
  readonly holdReferenceId: string;
  readonly asset: string;
  readonly amount: bigint;
}

/**
 * How a trade moves money, fees in quote on both sides: the buyer pays quote amount plus its fee out of
 * its quote hold and receives the quantity; the seller pays the quantity out of its base hold and receives
 * the quote amount minus its fee; both fees go to the market's fee account.
 */
export function tradeMoves(trade: SettledTrade): {
  readonly balances: readonly TradeBalanceChange[];
  readonly holds: readonly TradeHoldCharge[];
} {
  const { base, quote } = parseMarket(trade.market);
  const { buyer, seller, quantity, quoteAmount, baseScale, quoteScale, tradeId: reference } = trade;
  const moved = (availableDelta: bigint, heldDelta: bigint): Movement[] => [
    { kind: "trade", availableDelta, heldDelta, reference },
  ];
  const fee = (availableDelta: bigint, heldDelta: bigint): Movement[] =>
    availableDelta === 0n && heldDelta === 0n ? [] : [{ kind: "fee", availableDelta, heldDelta, reference }];
  const balances: TradeBalanceChange[] = [
    {
      accountId: buyer.accountId,
      asset: quote,
      scale: quoteScale,
      movements: [...moved(0n, -quoteAmount), ...fee(0n, -buyer.fee)],
    },
    { accountId: buyer.accountId, asset: base, scale: baseScale, movements: moved(quantity, 0n) },
    { accountId: seller.accountId, asset: base, scale: baseScale, movements: moved(0n, -quantity) },
    {
      accountId: seller.accountId,
      asset: quote,
      scale: quoteScale,
      movements: [...moved(quoteAmount, 0n), ...fee(-seller.fee, 0n)],
    },
    {
      accountId: feeAccountId(trade.market),
      asset: quote,
      scale: quoteScale,
      movements: fee(buyer.fee + seller.fee, 0n),
    },
  ];
  return {
    balances: balances.filter((change) => change.movements.length > 0),
    holds: [
      {
        accountId: buyer.accountId,
        holdReferenceId: buyer.holdReferenceId,
        asset: quote,
        amount: quoteAmount + buyer.fee,
      },
      { accountId: seller.accountId, holdReferenceId: seller.holdReferenceId, asset: base, amount: quantity },
    ],
  };
}
