import type { Balance } from "@bourse/ledger";
import { OrderUpdateKind } from "@bourse/proto/bourse/orders/v1/order_update_pb";
import { OPEN_STATES, type OrderRecord, quoteOf } from "@bourse/trading";
import { balancesOf, closingKindOf, type OrderEvent } from "@bourse/trading/user-events";
import type { CommandOutcome, FillStep } from "../domain/outcome.js";

const baseOf = (market: string) => market.slice(0, market.indexOf("-"));

/**
 * The execution reports of one committed outcome, in the order they happened: each fill as a TRADE of the
 * maker and of the taker, then the orders the command closed (CANCELED, EXPIRED, REJECTED) or AMENDED. Each
 * carries the balances of its account that the event moved, from `balances` (the batch's written state).
 *
 * `resting` holds the ids of the market's orders in the book before the outcome, and is brought up to date:
 * it tells an amend (its subject was resting) from a new order that joined the book, which is not reported,
 * since its ACCEPTED update already says all of it. A taker's last fill carries the state it ended in (its
 * FILLED, or its place in the book), so that no second update repeats it.
 */
export function outcomeEvents(
  outcome: CommandOutcome,
  resting: Set<string>,
  balances: ReadonlyMap<string, Balance>,
): OrderEvent[] {
  const subject = outcome.report.kind === "order" ? outcome.report.order.orderId : undefined;
  const amended = subject !== undefined && resting.has(subject);
  const closing = new Map(outcome.closing.orders.map((order) => [order.orderId, order]));
  const lastFill = new Map(outcome.steps.map((step, index) => [step.takerAfter.orderId, index]));
  const events: OrderEvent[] = [];
  const tradeEvent = (order: OrderRecord, step: FillStep): OrderEvent => ({
    kind: OrderUpdateKind.TRADE,
    order,
    fill: step.accountTrades.find((view) => view.orderId === order.orderId),
    balances: balancesOf(balances, order.accountId, [baseOf(order.market), quoteOf(order.market)]),
    at: step.accountTrades[0].executedAt,
  });

  outcome.steps.forEach((step, index) => {
    const { makerAfter, takerAfter } = step;
    events.push(tradeEvent(makerAfter, step));
    if (!OPEN_STATES.has(makerAfter.status)) resting.delete(makerAfter.orderId);
    const ended = closing.get(takerAfter.orderId);
    const endsHere =
      lastFill.get(takerAfter.orderId) === index &&
      ended !== undefined &&
      !amended &&
      closingKindOf(ended) === OrderUpdateKind.ACCEPTED;
    events.push(tradeEvent(endsHere ? ended : takerAfter, step));
  });

  for (const order of outcome.closing.orders) {
    const kind = closingKindOf(order);
    const filled = lastFill.has(order.orderId);
    if (OPEN_STATES.has(order.status)) resting.add(order.orderId);
    else resting.delete(order.orderId);
    if (kind !== OrderUpdateKind.ACCEPTED) {
      events.push(closingEvent(order, kind, balances, outcome.at));
    } else if (order.orderId === subject && amended) {
      events.push(closingEvent(order, OrderUpdateKind.AMENDED, balances, outcome.at));
    } else if (!filled && order.status === "FILLED") {
      // A sweep cut by a crash, resumed with nothing left to fill: done by its earlier fills.
      events.push(closingEvent(order, OrderUpdateKind.TRADE, balances, outcome.at));
    }
  }
  return events;
}

function closingEvent(
  order: OrderRecord,
  kind: OrderUpdateKind,
  balances: ReadonlyMap<string, Balance>,
  at: Date,
): OrderEvent {
  return { kind, order, balances: balancesOf(balances, order.accountId, [order.holdAsset]), at };
}
