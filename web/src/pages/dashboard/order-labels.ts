import { OrderStatus, OrderType, Side } from "@bourse/proto/bourse/orders/v1/order_enums_pb";

const statusLabels: Readonly<Record<OrderStatus, string>> = {
  [OrderStatus.UNSPECIFIED]: "Unknown",
  [OrderStatus.NEW]: "Open",
  [OrderStatus.PARTIALLY_FILLED]: "Partially filled",
  [OrderStatus.FILLED]: "Filled",
  [OrderStatus.CANCELED]: "Canceled",
  [OrderStatus.REJECTED]: "Rejected",
  [OrderStatus.EXPIRED]: "Expired",
};

export function orderStatusLabel(status: OrderStatus): string {
  return statusLabels[status] ?? statusLabels[OrderStatus.UNSPECIFIED];
}

export function sideLabel(side: Side): string {
  return side === Side.BUY ? "Buy" : side === Side.SELL ? "Sell" : "—";
}

export function orderTypeLabel(type: OrderType): string {
  return type === OrderType.LIMIT ? "Limit" : type === OrderType.MARKET ? "Market" : "—";
}
