import { parseMarketSymbol } from "@bourse/common/identifiers";
import { queryAll, type Store } from "@bourse/common/storage";
import { type LedgerEntry, listBalances, listFundingEntries } from "@bourse/ledger";
import { type AccountTradeRecord, accountTradeFromItem } from "@bourse/trading";
import { fromDecimal, fromUnits } from "../domain/portfolio/ratio.js";
import type { FillEvent, FundingEvent, HistoryEvent } from "../domain/portfolio/replay-history.js";
import type { OwnedBalance } from "../domain/portfolio/value-portfolio.js";

/** What GetPortfolio replays and values: the account's history in time order, and its balances now. */
export interface PortfolioHistory {
  readonly events: readonly HistoryEvent[];
  readonly balances: readonly OwnedBalance[];
}

function fundingEvent(entry: LedgerEntry): FundingEvent {
  const amount = entry.availableDelta + entry.heldDelta;
  return {
    kind: entry.kind === "deposit" ? "deposit" : "withdrawal",
    at: entry.createdAt,
    asset: entry.asset,
    quantity: fromUnits(amount < 0n ? -amount : amount, entry.scale),
    usdPrice: entry.usdPrice === undefined ? undefined : fromDecimal(entry.usdPrice),
  };
}

function fillEvent(trade: AccountTradeRecord): FillEvent | undefined {
  const pair = parseMarketSymbol(trade.market);
  if (!pair) return undefined;
  return {
    kind: "fill",
    at: trade.executedAt,
    base: pair.base,
    quote: pair.quote,
    side: trade.side,
    quantity: fromUnits(trade.quantity, trade.baseScale),
    quoteAmount: fromUnits(trade.quoteAmount, trade.quoteScale),
    fee: fromUnits(trade.feeQuote, trade.quoteScale),
  };
}

/**
 * Reads every deposit and withdrawal entry (a sparse index) and every fill (the account's trade partition,
 * oldest first) of the account, all pages, and its balances. At one instant, funding goes before fills:
 * money must arrive before it is spent.
 */
export async function readPortfolioHistory(store: Store, accountId: string): Promise<PortfolioHistory> {
  const [entries, tradeItems, balances] = await Promise.all([
    listFundingEntries(store, accountId),
    // The partition of accountTradeKey; its sort key starts with the execution time.
    queryAll(store, { partition: `ACCOUNT#${accountId}#TRADES` }),
    listBalances(store, accountId),
  ]);
  const fills = tradeItems
    .map(accountTradeFromItem)
    .filter((trade) => trade.accountId === accountId)
    .flatMap((trade) => fillEvent(trade) ?? []);
  const events = [...entries.map(fundingEvent), ...fills].sort((a, b) => a.at.getTime() - b.at.getTime());
  return { events, balances };
}
