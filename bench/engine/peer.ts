import { type OrderBook, SelfTradePreventionMode, Side } from "nodejs-order-book";
import type { Command } from "../../services/matching/src/domain/index.js";

type LimitOptions = Parameters<OrderBook["limit"]>[0];

/** One command in the peer's vocabulary, built before timing like ours. */
export type PeerOperation =
  | { readonly kind: "limit"; readonly options: LimitOptions }
  | { readonly kind: "cancel"; readonly id: string }
  | { readonly kind: "modify"; readonly id: string; readonly update: { price: number; size: number } };

function toPeerOperation(command: Command): PeerOperation {
  if (command.type === "cancel") return { kind: "cancel", id: String(command.orderId) };
  if (command.type === "amend") {
    return {
      kind: "modify",
      id: String(command.orderId),
      update: { price: command.price, size: command.quantity },
    };
  }
  return {
    kind: "limit",
    options: {
      id: String(command.orderId),
      side: command.side === "buy" ? Side.BUY : Side.SELL,
      size: command.quantity,
      price: command.price,
      // The package exports this enum's type but not its value; its values are the strings we use.
      timeInForce: command.timeInForce as LimitOptions["timeInForce"],
      accountId: String(command.accountId),
      stpMode: SelfTradePreventionMode.EXPIRE_TAKER,
    },
  };
}

/**
 * Maps our commands onto nodejs-order-book: limit GTC/IOC with the account and EXPIRE_TAKER self-trade
 * prevention, cancel by id, and modify with the new price and size (it re-queues and may trade, as our
 * amend does). Its ids are strings, so ours are converted here, untimed.
 */
export function toPeerOperations(commands: readonly Command[]): PeerOperation[] {
  return commands.map(toPeerOperation);
}

export function runPeerOperation(book: OrderBook, operation: PeerOperation): unknown {
  switch (operation.kind) {
    case "limit":
      return book.limit(operation.options);
    case "cancel":
      return book.cancel(operation.id);
    case "modify":
      return book.modify(operation.id, operation.update);
  }
}
