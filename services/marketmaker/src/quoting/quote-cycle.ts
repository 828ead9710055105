import { Code, ConnectError } from "@connectrpc/connect";
import { ladderReserve, topUps, totalByAsset } from "../domain/funding.js";
import { buildLadder, type LadderSettings } from "../domain/ladder.js";
import { type OpenQuote, planQuotes } from "../domain/quote-plan.js";
import { quoteClientOrderId } from "../domain/quote-tag.js";
import type { LadderQuote, QuotedMarket, QuoteSide } from "../domain/quoted-market.js";
import type { ExchangeApi } from "../exchange/exchange-api.js";
import type { MarketMakerMetrics } from "../metrics.js";
import type { Notices } from "./notices.js";

/** Reference prices are in USD, so only markets quoted in USD have one. */
const REFERENCE_QUOTE = "USD";

/** Codes that are the exchange's answer about one order or one asset, not an outage: noted, not retried. */
const refusals = new Set([Code.InvalidArgument, Code.NotFound, Code.FailedPrecondition, Code.AlreadyExists]);
const isRefusal = (error: unknown) => refusals.has(ConnectError.from(error).code);

export interface QuoteCycleDeps {
  readonly api: ExchangeApi;
  readonly markets: readonly string[];
  readonly ladder: LadderSettings;
  readonly repriceBps: number;
  /** Deposit simulated funds when the ladders need more than the account has. */
  readonly funding: boolean;
  readonly metrics: MarketMakerMetrics;
  readonly notices: Notices;
  /** A fresh suffix for each order's client_order_id. */
  readonly nonce: () => string;
  /** A fresh idempotency key for each deposit. */
  readonly depositKey: () => string;
}

interface MarketLadder {
  readonly market: QuotedMarket;
  readonly ladder: readonly LadderQuote[];
}

/**
 * One pass: read the markets and reference prices, build each quoted market's ladder, fund it if
 * needed, then bring every market's open orders to its ladder (cancels first, then places). Markets
 * no longer quoted lose their orders. A service that does not answer the reads fails the whole cycle,
 * which the loop retries with backoff; a market whose orders fail is noted and retried next cycle while
 * the others go on, and a refused order or deposit is noted.
 */
export async function runQuoteCycle(deps: QuoteCycleDeps): Promise<void> {
  const ladders = await buildLadders(deps);
  const open = await deps.api.openQuotes();
  if (deps.funding) await fund(deps, [...ladders.values()]);
  const symbols = new Set([...deps.markets, ...ladders.keys(), ...open.keys()]);
  for (const symbol of symbols) {
    // One market's book may be unreachable (its matching owner restarting) while the others trade on.
    const key = `outage:${symbol}`;
    try {
      await quoteMarket(deps, symbol, ladders.get(symbol)?.ladder ?? [], open.get(symbol) ?? []);
      deps.notices.clear(key, `${symbol}: orders answer again`);
    } catch (error) {
      deps.notices.raise(key, `${symbol}: orders did not answer; retrying next cycle`, {
        market: symbol,
        err: ConnectError.from(error).message,
      });
    }
  }
}

async function buildLadders(deps: QuoteCycleDeps): Promise<Map<string, MarketLadder>> {
  const active = new Map((await deps.api.activeMarkets()).map((market) => [market.symbol, market]));
  const ladders = new Map<string, MarketLadder>();
  for (const symbol of deps.markets) {
    const market = active.get(symbol);
    const key = `market:${symbol}`;
    if (!market) {
      deps.notices.raise(key, `${symbol} is not an active market: not quoting it`, { market: symbol });
      continue;
    }
    if (market.quote !== REFERENCE_QUOTE) {
      deps.notices.raise(
        key,
        `${symbol} is not quoted in ${REFERENCE_QUOTE}, the reference prices' currency: not quoting it`,
      );
      continue;
    }
    let reference: { price: string; source: string };
    try {
      reference = await deps.api.referencePrice(market.base);
    } catch (error) {
      if (!isRefusal(error)) throw error;
      deps.notices.raise(key, `${symbol} has no reference price: not quoting it`, {
        market: symbol,
        err: ConnectError.from(error).message,
      });
      continue;
    }
    deps.notices.clear(key, `${symbol} is quoted again`);
    deps.notices.raise(
      `source:${symbol}`,
      `quoting ${symbol} around its ${reference.source} reference price`,
      {
        market: symbol,
        reference_price: reference.price,
      },
      "info",
    );
    ladders.set(symbol, { market, ladder: buildLadder(market, reference.price, deps.ladder) });
  }
  return ladders;
}

async function fund(deps: QuoteCycleDeps, ladders: readonly MarketLadder[]): Promise<void> {
  const reserves = totalByAsset(ladders.flatMap(({ market, ladder }) => ladderReserve(market, ladder)));
  const deposits = topUps(reserves, await deps.api.balances());
  for (const { asset, amount } of deposits) {
    try {
      await deps.api.deposit(asset, amount, deps.depositKey());
      deps.metrics.deposited(asset);
      deps.notices.clear(`funding:${asset}`, `funding ${asset} works again`);
    } catch (error) {
      if (!isRefusal(error)) throw error;
      deps.notices.raise(`funding:${asset}`, `cannot fund ${asset}: quoting with what the account has`, {
        asset,
        err: ConnectError.from(error).message,
      });
    }
  }
}

/** Settles every call, then throws the first failure that is not a refusal; returns the refusals. */
async function settleAll(calls: readonly Promise<void>[]): Promise<unknown[]> {
  const outcomes = await Promise.allSettled(calls);
  const failures = outcomes.flatMap((outcome) => (outcome.status === "rejected" ? [outcome.reason] : []));
  const outage = failures.find((error) => !isRefusal(error));
  if (outage !== undefined) throw outage;
  return failures;
}

async function quoteMarket(
  deps: QuoteCycleDeps,
  symbol: string,
  ladder: readonly LadderQuote[],
  open: readonly OpenQuote[],
): Promise<void> {
  const plan = planQuotes(ladder, open, deps.repriceBps);
  const resting: Record<QuoteSide, number> = { buy: 0, sell: 0 };
  const canceled = new Set(plan.cancel.map(({ orderId }) => orderId));
  for (const order of open) if (!canceled.has(order.orderId)) resting[order.side]++;
  // Cancels first, all of them: a new quote must not meet a stale one of the same account.
  await settleAll(
    plan.cancel.map(async ({ orderId, reason }) => {
      await deps.api.cancel(orderId);
      deps.metrics.canceled(symbol, reason);
    }),
  );
  try {
    const refused = await settleAll(
      plan.place.map(async (quote) => {
        const status = await deps.api.place(symbol, quote, quoteClientOrderId(quote, deps.nonce()));
        deps.metrics.placed(symbol, quote.side, status);
        if (status === "NEW" || status === "PARTIALLY_FILLED") resting[quote.side]++;
      }),
    );
    const key = `orders:${symbol}`;
    if (refused.length > 0) {
      deps.notices.raise(key, `${symbol}: the exchange refused quotes`, {
        market: symbol,
        refused: refused.length,
        err: ConnectError.from(refused[0]).message,
      });
    } else if (plan.place.length > 0) {
      deps.notices.clear(key, `${symbol}: quotes accepted again`);
    }
  } finally {
    deps.metrics.setQuotes(symbol, "buy", resting.buy);
    deps.metrics.setQuotes(symbol, "sell", resting.sell);
  }
}
