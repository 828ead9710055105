import { parseMarketSymbol } from "@bourse/common/identifiers";
import { DecimalError, decimalScale, parseDecimal } from "@bourse/common/money";
import type { Store, TransactItem } from "@bourse/common/storage";
import { emptyBalance, type Movement, mutateBalance } from "./balance-mutation.js";
import { checkAsset, checkIdentifier, parseAmount } from "./checks.js";
import { consumeHold } from "./holds.js";
import { balanceFromItem, holdFromItem } from "./items.js";
import { balanceKey, EXCHANGE_ACCOUNT_PREFIX, feeAccountId, holdKey, tradeSettlementKey } from "./keys.js";
import { LedgerError } from "./ledger-error.js";
import {
  canonicalPrice,
  type SettledTrade,
  settledTradeFromItem,
  settlementRecordPut,
} from "./settlement-record.js";
import type { LedgerStamp } from "./stamp.js";
import type { Balance, Hold, LedgerEntry } from "./types.js";

/** One side of a trade. */
export interface SettlementParty {
  readonly accountId: string;
  readonly orderId: string;
  /** The hold that pays: quote for the buyer, base for the seller. */
  readonly holdReferenceId: string;
  readonly maker: boolean;
  /** Decimal fee in the asset this side receives (base for the buyer, quote for the seller); "0" for none. */
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

/** What a trade's settlement reads before it writes. */
export interface SettlementState {
  /** The trade's settlement record, when it has been settled before. */
  readonly settled?: SettledTrade;
  /** Keyed by `settlementBalanceId(accountId, asset)`; absent balances have never been written. */
  readonly balances: ReadonlyMap<string, Balance>;
  /** Keyed by `settlementBalanceId(accountId, holdReferenceId)`. */
  readonly holds: ReadonlyMap<string, Hold>;
}

export interface SettlementPlan {
  readonly entries: readonly LedgerEntry[];
  readonly balances: readonly Balance[];
  /** Balance writes, entries, hold consumption and the settlement record; add the fence and your own items. */
  readonly items: readonly TransactItem[];
}

export function parseMarket(market: string): { readonly base: string; readonly quote: string } {
  const pair = parseMarketSymbol(market);
  if (!pair) throw new LedgerError("invalid_argument", "market must be BASE-QUOTE, e.g. BTC-USD");
  return pair;
}

export const settlementBalanceId = (accountId: string, asset: string): string => `${accountId}#${asset}`;

/** The balances a trade may change: both assets of both sides and of the market's fee account. */
export function touchedBalances(trade: TradeToSettle): Array<readonly [accountId: string, asset: string]> {
  const { base, quote } = parseMarket(trade.market);
  const fees = feeAccountId(trade.market);
  return [
    [trade.buyer.accountId, quote],
    [trade.buyer.accountId, base],
    [trade.seller.accountId, base],
    [trade.seller.accountId, quote],
    [fees, base],
    [fees, quote],
  ];
}

function checkParties(trade: TradeToSettle): void {
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

/** Reads everything a trade's settlement depends on, with consistent reads. */
export async function readSettlementState(store: Store, trade: TradeToSettle): Promise<SettlementState> {
  checkParties(trade);
  const pairs = touchedBalances(trade);
  const [marker, holdItems, balanceItems] = await Promise.all([
    store.get(tradeSettlementKey(trade.market, trade.tradeId)),
    Promise.all([trade.buyer, trade.seller].map((p) => store.get(holdKey(p.accountId, p.holdReferenceId)))),
    Promise.all(pairs.map(([accountId, asset]) => store.get(balanceKey(accountId, asset)))),
  ]);
  const balances = new Map<string, Balance>();
  for (const item of balanceItems) {
    if (!item) continue;
    const balance = balanceFromItem(item);
    balances.set(settlementBalanceId(balance.accountId, balance.asset), balance);
  }
  const holds = new Map<string, Hold>();
  for (const item of holdItems) {
    if (!item) continue;
    const hold = holdFromItem(item);
    holds.set(settlementBalanceId(hold.accountId, hold.referenceId), hold);
  }
  return { settled: marker && settledTradeFromItem(marker), balances, holds };
}

function payingHold(state: SettlementState, party: SettlementParty, asset: string, amount: bigint): Hold {
  const hold = state.holds.get(settlementBalanceId(party.accountId, party.holdReferenceId));
  if (!hold) {
    throw new LedgerError(
      "hold_not_found",
      `no hold ${party.holdReferenceId} for account ${party.accountId}`,
    );
  }
  if (hold.asset !== asset) {
    throw new LedgerError(
      "invalid_argument",
      `hold ${party.holdReferenceId} holds ${hold.asset}, not ${asset}`,
    );
  }
  if (hold.remaining < amount) {
    throw new LedgerError("exceeds_hold", `trade exceeds what remains under hold ${party.holdReferenceId}`);
  }
  return hold;
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
 * The settlement of one trade, as transaction items: the buyer pays quote out of its hold and receives
 * base minus its fee, the seller pays base out of its hold and receives quote minus its fee, fees go to
 * the market's fee account, both holds shrink, and a settlement record keyed by the market and trade id is
 * created only if new, so a replay fails the transaction. The caller adds the market's fence (`marketFenceItem`) and
 * may add its own items (orders, the trade record) to the same transaction.
 */
export function planTradeSettlement(
  trade: TradeToSettle,
  state: SettlementState,
  stamp: LedgerStamp,
): SettlementPlan {
  checkParties(trade);
  const { base, quote } = parseMarket(trade.market);
  checkAsset(base);
  checkAsset(quote);
  const { buyer, seller } = trade;
  const fees = feeAccountId(trade.market);
  const balance = (accountId: string, asset: string) =>
    state.balances.get(settlementBalanceId(accountId, asset));
  const buyerQuote = balance(buyer.accountId, quote);
  const sellerBase = balance(seller.accountId, base);
  if (!buyerQuote || !sellerBase) {
    throw new LedgerError("hold_not_found", "both sides must hold the funds they pay with");
  }
  const baseScale = sellerBase.scale;
  const quoteScale = buyerQuote.scale;
  const quantity = parseAmount("quantity", trade.quantity, baseScale, { positive: true });
  const quoteAmount = parseAmount("quote_amount", trade.quoteAmount, quoteScale, { positive: true });
  const buyerFee = parseAmount("buyer fee", buyer.fee, baseScale, { positive: false });
  const sellerFee = parseAmount("seller fee", seller.fee, quoteScale, { positive: false });
  if (buyerFee > quantity || sellerFee > quoteAmount) {
    throw new LedgerError("invalid_argument", "a fee cannot exceed the proceeds it is taken from");
  }
  checkNotional(trade, quantity, baseScale, quoteAmount, quoteScale);
  const buyerHold = payingHold(state, buyer, quote, quoteAmount);
  const sellerHold = payingHold(state, seller, base, quantity);

  const ref = trade.tradeId;
  const trading = (availableDelta: bigint, heldDelta: bigint): Movement => ({
    kind: "trade",
    availableDelta,
    heldDelta,
    reference: ref,
  });
  const fee = (delta: bigint): Movement[] =>
    delta === 0n ? [] : [{ kind: "fee", availableDelta: delta, heldDelta: 0n, reference: ref }];
  const changes: Array<[accountId: string, asset: string, scale: number, movements: Movement[]]> = [
    [buyer.accountId, quote, quoteScale, [trading(0n, -quoteAmount)]],
    [buyer.accountId, base, baseScale, [trading(quantity, 0n), ...fee(-buyerFee)]],
    [seller.accountId, base, baseScale, [trading(0n, -quantity)]],
    [seller.accountId, quote, quoteScale, [trading(quoteAmount, 0n), ...fee(-sellerFee)]],
    [fees, base, baseScale, fee(buyerFee)],
    [fees, quote, quoteScale, fee(sellerFee)],
  ];

  const entries: LedgerEntry[] = [];
  const balances: Balance[] = [];
  const items: TransactItem[] = [];
  for (const [accountId, asset, scale, movements] of changes) {
    if (movements.length === 0) continue;
    const before = balance(accountId, asset) ?? emptyBalance(accountId, asset, scale, stamp.at);
    if (before.scale !== scale) {
      throw new LedgerError("inconsistent_state", `${asset} balances disagree on the asset's precision`);
    }
    const mutation = mutateBalance(before, movements, stamp);
    entries.push(...mutation.entries);
    balances.push(mutation.balance);
    items.push(...mutation.items);
  }
  const settled: SettledTrade = {
    market: trade.market,
    tradeId: trade.tradeId,
    sequence: trade.sequence,
    price: canonicalPrice(trade.price),
    baseScale,
    quoteScale,
    quantity,
    quoteAmount,
    buyer: { ...buyer, fee: buyerFee },
    seller: { ...seller, fee: sellerFee },
  };
  items.push(
    consumeHold(buyerHold, quoteAmount),
    consumeHold(sellerHold, quantity),
    settlementRecordPut(settled, trade.executedAt, stamp),
  );
  return { entries, balances, items };
}
