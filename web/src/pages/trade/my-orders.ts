import { OrderStatus } from "@bourse/proto/bourse/orders/v1/order_enums_pb";
import type { Order } from "@bourse/proto/bourse/orders/v1/order_pb";
import type { BalanceUpdate, OrderUpdate, StreamStart } from "@bourse/proto/bourse/orders/v1/order_update_pb";
import { timestampMs } from "@bufbuild/protobuf/wkt";

/**
 * The caller's orders and balances as StreamMyOrders keeps them (proto: StreamMyOrders, OrderUpdate): the
 * last sequence applied (to resume from), every order known by id, and each balance at its highest version.
 */
export interface MyOrders {
  readonly sequence: bigint | undefined;
  readonly orders: ReadonlyMap<string, Order>;
  readonly balances: ReadonlyMap<string, BalanceUpdate>;
}

export const noOrders: MyOrders = { sequence: undefined, orders: new Map(), balances: new Map() };

const OPEN = new Set([OrderStatus.NEW, OrderStatus.PARTIALLY_FILLED]);

export const isOpen = (order: Order): boolean => OPEN.has(order.status);

/**
 * Whether `next` is a later state of the order than `known`. An order's updates arrive in order, but a
 * ListOrders page read after the stream started may already hold a later state than an update that follows:
 * a final status is never undone, and otherwise the later change wins.
 */
function isLater(next: Order, known: Order | undefined): boolean {
  if (!known) return true;
  if (!isOpen(known) && isOpen(next)) return false;
  if (isOpen(known) && !isOpen(next)) return true;
  const nextTime = next.updatedAt ? timestampMs(next.updatedAt) : 0;
  const knownTime = known.updatedAt ? timestampMs(known.updatedAt) : 0;
  return nextTime >= knownTime;
}

function withBalances(
  balances: ReadonlyMap<string, BalanceUpdate>,
  updates: readonly BalanceUpdate[],
): ReadonlyMap<string, BalanceUpdate> {
  const next = new Map(balances);
  for (const update of updates) {
    const known = next.get(update.asset);
    // Two services write a balance, so its updates may come out of version order.
    if (!known || update.version > known.version) next.set(update.asset, update);
  }
  return next;
}

function withOrders(known: ReadonlyMap<string, Order>, orders: readonly Order[]): ReadonlyMap<string, Order> {
  const next = new Map(known);
  for (const order of orders) if (isLater(order, next.get(order.id))) next.set(order.id, order);
  return next;
}

/**
 * The stream's first message. Resumed: nothing was missed, keep everything. Not resumed: the orders must be
 * read again (`needsOrders`), the balances are those of the start, and updates continue after its sequence.
 */
export function applyStart(state: MyOrders, start: StreamStart): { state: MyOrders; needsOrders: boolean } {
  const balances = withBalances(start.resumed ? state.balances : new Map(), start.balances);
  if (start.resumed) return { state: { ...state, sequence: start.sequence, balances }, needsOrders: false };
  return { state: { sequence: start.sequence, orders: new Map(), balances }, needsOrders: true };
}

/** Orders read with ListOrders after a start that was not resumed; updates already applied are kept if later. */
export function applyListedOrders(state: MyOrders, orders: readonly Order[]): MyOrders {
  return { ...state, orders: withOrders(state.orders, orders) };
}

export type UpdateOutcome =
  | { readonly kind: "applied"; readonly state: MyOrders }
  | { readonly kind: "gap"; readonly expected: bigint; readonly received: bigint };

/** Applies the next update, or reports a gap: the caller then reconnects with after_sequence = state.sequence. */
export function applyUpdate(state: MyOrders, update: OrderUpdate): UpdateOutcome {
  const expected = (state.sequence ?? 0n) + 1n;
  if (update.sequence !== expected) return { kind: "gap", expected, received: update.sequence };
  return {
    kind: "applied",
    state: {
      sequence: update.sequence,
      orders: update.order ? withOrders(state.orders, [update.order]) : state.orders,
      balances: withBalances(state.balances, update.balances),
    },
  };
}

const createdMs = (order: Order): number => (order.createdAt ? timestampMs(order.createdAt) : 0);
const updatedMs = (order: Order): number => (order.updatedAt ? timestampMs(order.updatedAt) : 0);

/** The open orders of one market, newest first. */
export function openOrders(state: MyOrders, market: string): Order[] {
  return [...state.orders.values()]
    .filter((order) => order.market === market && isOpen(order))
    .sort((a, b) => createdMs(b) - createdMs(a));
}

/** The closed orders of one market, most recently closed first, at most `limit`. */
export function orderHistory(state: MyOrders, market: string, limit: number): Order[] {
  return [...state.orders.values()]
    .filter((order) => order.market === market && !isOpen(order))
    .sort((a, b) => updatedMs(b) - updatedMs(a))
    .slice(0, limit);
}
