import type { Side, StpMode } from "./commands.js";
import { Order } from "./order.js";
import type { EngineRules } from "./rules.js";

/** A resting order as seen from outside the engine. */
export interface OrderView {
  readonly orderId: number;
  readonly accountId: number;
  readonly side: Side;
  readonly price: number;
  /** Lots placed, as adjusted by amends: `filled + remaining`. */
  readonly quantity: number;
  readonly filled: number;
  readonly remaining: number;
  readonly stp: StpMode;
  readonly postOnly: boolean;
}

export type SnapshotOrder = OrderView;

/**
 * Everything that decides the engine's future events, as plain JSON-safe data (the notional minimum is a
 * decimal string). Orders are listed bids then asks, best level first, each level in time priority, so
 * restoring them in order rebuilds the same queues.
 */
export interface EngineSnapshot {
  readonly version: 1;
  readonly seq: number;
  readonly rules: { readonly minQuantity: number; readonly minNotional: string };
  readonly orders: readonly SnapshotOrder[];
}

export function viewOf(order: Order): OrderView {
  return {
    orderId: order.id,
    accountId: order.accountId,
    side: order.side,
    price: order.price,
    quantity: order.quantity,
    filled: order.filled,
    remaining: order.remaining,
    stp: order.stp,
    postOnly: order.postOnly,
  };
}

export function orderFrom(saved: SnapshotOrder): Order {
  const { orderId, accountId, side, price, quantity, remaining, filled, stp, postOnly } = saved;
  return new Order(orderId, accountId, side, price, quantity, remaining, filled, stp, postOnly);
}

export interface RestoredState {
  readonly rules: EngineRules;
  readonly seq: number;
  readonly orders: readonly SnapshotOrder[];
}

export function readSnapshot(snapshot: EngineSnapshot): RestoredState {
  if (snapshot.version !== 1) throw new Error(`unsupported snapshot version ${String(snapshot.version)}`);
  if (!Number.isSafeInteger(snapshot.seq) || snapshot.seq < 0) throw new Error("snapshot seq is not valid");
  if (!/^[0-9]+$/.test(snapshot.rules.minNotional)) throw new Error("snapshot minNotional is not valid");
  return {
    rules: { minQuantity: snapshot.rules.minQuantity, minNotional: BigInt(snapshot.rules.minNotional) },
    seq: snapshot.seq,
    orders: snapshot.orders,
  };
}
