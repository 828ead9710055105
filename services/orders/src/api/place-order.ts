import { failedPrecondition, notFound } from "@bourse/common";
import type { ExecutionReport, Fill } from "@bourse/proto/bourse/matching/v1/execution_report_pb";
import {
  type PlaceOrderRequest,
  type PlaceOrderResponse,
  PlaceOrderResponseSchema,
} from "@bourse/proto/bourse/orders/v1/order_service_pb";
import {
  OPEN_STATES,
  type OrderRecord,
  type RevisedTradingMarket,
  readTradingMarket,
  type TradingMarket,
} from "@bourse/trading";
import { create } from "@bufbuild/protobuf";
import { Code, ConnectError, type HandlerContext } from "@connectrpc/connect";
import { newOrder, unpricedMarketBuy } from "../domain/new-order.js";
import { checkOrderTerms, type OrderTerms } from "../domain/order-terms.js";
import { protectionPrice } from "../domain/protection-price.js";
import { isSameOrder } from "../domain/same-order.js";
import { reportedOrder } from "../matching/reported-order.js";
import { BindingTakenError, MarketChangedError } from "../store/placement-committer.js";
import type { OrdersDeps } from "./deps.js";
import { orderRequestOf } from "./order-request-of.js";
import { accountTradeToProto, fillToProto, orderToProto } from "./to-proto.js";

/** The market, which must exist and trade: read strongly consistent, so a halt applies to the next order. */
export async function tradingMarket(deps: OrdersDeps, symbol: string): Promise<TradingMarket> {
  const market = await readTradingMarket(deps.store, symbol);
  if (!market) throw notFound(`market ${symbol} not found`);
  if (market.status === "halted") throw failedPrecondition(`market ${symbol} is halted`);
  return market;
}

/** The market's rules as last known (`MarketRules`); it must exist and trade. */
async function knownRules(deps: OrdersDeps, symbol: string): Promise<RevisedTradingMarket> {
  const rules = await deps.markets.get(symbol);
  if (!rules) throw notFound(`market ${symbol} not found`);
  if (rules.market.status === "halted") throw failedPrecondition(`market ${symbol} is halted`);
  return rules;
}

/**
 * PlaceOrder (docs/order-flow.md): validate, bind the client order id, hold and store, then match. The
 * order is validated against the market's rules as last known, and stored only if the market has not
 * changed since; if it has, the rules are read again and the order placed on them (a halt refuses it).
 */
export async function placeOrder(
  deps: OrdersDeps,
  request: PlaceOrderRequest,
  context: HandlerContext,
): Promise<PlaceOrderResponse> {
  const { userId } = await deps.auth.require(context);
  const wanted = orderRequestOf(request);
  for (let attempt = 1; ; attempt++) {
    const rules = await knownRules(deps, wanted.market);
    const terms = checkOrderTerms(wanted, rules.market);
    try {
      return await place(deps, userId, terms, rules, true);
    } catch (error) {
      if (!(error instanceof MarketChangedError)) throw error;
      deps.markets.forget(wanted.market);
      // Changed again under the re-read rules: the market is being edited; the caller retries later.
      if (attempt === 2) throw error;
    }
  }
}

async function place(
  deps: OrdersDeps,
  accountId: string,
  terms: OrderTerms,
  rules: RevisedTradingMarket,
  mayRetryBinding: boolean,
): Promise<PlaceOrderResponse> {
  const { market } = rules;
  let previousOrderId: string | undefined;
  if (terms.clientOrderId !== "") {
    const boundId = await deps.orders.boundOrderId(accountId, terms.clientOrderId);
    const bound = boundId === undefined ? undefined : await deps.orders.get(boundId);
    if (bound) {
      if (isSameOrder(bound, terms)) return replay(deps, bound);
      if (OPEN_STATES.has(bound.status)) {
        throw new ConnectError(
          `client_order_id ${terms.clientOrderId} belongs to open order ${bound.orderId} with other parameters`,
          Code.AlreadyExists,
        );
      }
      previousOrderId = bound.orderId;
    }
  }
  const input = { orderId: deps.newOrderId(), accountId, request: terms, market, now: deps.now() };
  let order: OrderRecord;
  if (terms.type === "market" && terms.side === "buy" && terms.quantity !== "") {
    const book = await deps.matching.call(market.symbol, (api) =>
      api.getBookStatus({ market: market.symbol }),
    );
    order =
      book.bestAsk === ""
        ? unpricedMarketBuy(input)
        : newOrder(input, protectionPrice(book.bestAsk, deps.marketBuyProtection, market.tickSize));
  } else {
    order = newOrder(input);
  }
  const hold =
    order.status === "NEW"
      ? {
          kind: "hold" as const,
          accountId,
          asset: order.holdAsset,
          scale: order.holdAsset === market.base ? market.baseScale : market.quoteScale,
          referenceId: order.orderId,
          amount: order.holdAmount,
        }
      : undefined;
  try {
    await deps.committer.place({ order, hold, previousOrderId, rules });
  } catch (error) {
    // A concurrent place bound the id first: its order decides, as if this request came second.
    if (error instanceof BindingTakenError && mayRetryBinding)
      return place(deps, accountId, terms, rules, false);
    throw error;
  }
  if (order.status !== "NEW") return create(PlaceOrderResponseSchema, { order: orderToProto(order) });
  const { current, fills } = await submit(deps, order);
  return create(PlaceOrderResponseSchema, {
    order: orderToProto(current),
    trades: fills.map((fill) => fillToProto(fill, current)),
  });
}

/**
 * Hands the stored order to its market's engine; returns the order as the engine's report leaves it and
 * the fills it made. The order is accepted whatever happens here: if the engine cannot be reached, or
 * fails, the order stays NEW and pending, and the market's owner processes it when it (re)takes the
 * market or sweeps pending orders. Only when there is no report to say (or it cannot) is the order read.
 */
async function submit(
  deps: OrdersDeps,
  order: OrderRecord,
): Promise<{ current: OrderRecord; fills: Fill[] }> {
  let report: ExecutionReport | undefined;
  try {
    ({ report } = await deps.matching.submitAccepted(order));
  } catch (error) {
    deps.logger.warn(
      { err: error, order_id: order.orderId, market: order.market },
      "order accepted, matching not reached; it stays pending",
    );
  }
  const fills = report?.fills ?? [];
  const reported = reportedOrder(order, report);
  if (reported) return { current: reported, fills };
  return { current: (await deps.orders.get(order.orderId)) ?? order, fills };
}

/** A retry of a bound order: its current state and its fills so far, oldest first. */
async function replay(deps: OrdersDeps, order: OrderRecord): Promise<PlaceOrderResponse> {
  let current = order;
  if (order.status === "NEW" && order.bookSeq === undefined) ({ current } = await submit(deps, order));
  const trades = await deps.orders.listTrades({
    accountId: current.accountId,
    orderId: current.orderId,
    accept: () => true,
    limit: 1000,
  });
  return create(PlaceOrderResponseSchema, {
    order: orderToProto(current),
    trades: trades.items.reverse().map(accountTradeToProto),
  });
}
