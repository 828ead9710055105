import { formatDecimal } from "@bourse/common/money";
import type { Balance } from "@bourse/ledger";
import {
  type BalanceUpdate,
  BalanceUpdateSchema,
  type OrderUpdate,
  OrderUpdateKind,
  OrderUpdateSchema,
} from "@bourse/proto/bourse/orders/v1/order_update_pb";
import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import { timestampFromDate } from "@bufbuild/protobuf/wkt";
import { accountTradeToProto, orderToProto } from "../order-proto.js";
import type { AccountTradeRecord, OrderRecord } from "../order-record.js";
import type { UserEvent, UserEventToAppend } from "./user-event-log.js";

/** One execution report of an account's order, as a producer (orders, matching) has it. */
export interface OrderEvent {
  readonly kind: OrderUpdateKind;
  /** The order after the event; its account is the account the event is for. */
  readonly order: OrderRecord;
  /** The order's side of the trade, for a TRADE. */
  readonly fill?: AccountTradeRecord;
  /** The account's balances the event changed, each as it was written (with its version). */
  readonly balances: readonly Balance[];
  readonly at: Date;
}

export function balanceUpdateOf(balance: Balance): BalanceUpdate {
  return create(BalanceUpdateSchema, {
    asset: balance.asset,
    available: formatDecimal(balance.available, balance.scale, { trimZeros: true }),
    held: formatDecimal(balance.held, balance.scale, { trimZeros: true }),
    version: BigInt(balance.version),
  });
}

/** The event for the log: its OrderUpdate without the sequence, which the log assigns. */
export function orderEventToAppend(event: OrderEvent): UserEventToAppend {
  const update = create(OrderUpdateSchema, {
    kind: event.kind,
    order: orderToProto(event.order),
    fill: event.fill && accountTradeToProto(event.fill),
    balances: event.balances.map(balanceUpdateOf),
    time: timestampFromDate(event.at),
  });
  return { accountId: event.order.accountId, payload: toBinary(OrderUpdateSchema, update) };
}

/** The OrderUpdate of a logged event, with its sequence. */
export function orderUpdateOf(event: UserEvent): OrderUpdate {
  const update = fromBinary(OrderUpdateSchema, event.payload);
  update.sequence = event.sequence;
  return update;
}

/**
 * The kind of the event that left an order in a final state outside a fill, or that accepted it: an order
 * accepted already done (nothing to take) reports how it ended.
 */
export function closingKindOf(order: OrderRecord): OrderUpdateKind {
  switch (order.status) {
    case "CANCELED":
      return OrderUpdateKind.CANCELED;
    case "EXPIRED":
      return OrderUpdateKind.EXPIRED;
    case "REJECTED":
      return OrderUpdateKind.REJECTED;
    default:
      return OrderUpdateKind.ACCEPTED;
  }
}

/** The balances of `accountId` among `balances` in the given assets. */
export function balancesOf(
  balances: ReadonlyMap<string, Balance>,
  accountId: string,
  assets: readonly string[],
): Balance[] {
  const found: Balance[] = [];
  for (const asset of new Set(assets)) {
    const balance = balances.get(balanceIndexKey(accountId, asset));
    if (balance !== undefined) found.push(balance);
  }
  return found;
}

/** `balances` by account and asset, for `balancesOf`. */
export function indexBalances(balances: readonly Balance[]): Map<string, Balance> {
  return new Map(balances.map((balance) => [balanceIndexKey(balance.accountId, balance.asset), balance]));
}

const balanceIndexKey = (accountId: string, asset: string) => `${accountId}\u0000${asset}`;
