export { accountTradeFromItem, accountTradeToItem } from "./account-trade-item.js";
export {
  type MarketTradeRecord,
  type MarketTradeSource,
  marketTradeOf,
  marketTradesPartition,
  marketTradesSortKey,
  type RecentMarketTradesQuery,
  readRecentMarketTrades,
} from "./market-trades.js";
export type { ColocatedMatchingApi, MatchingApi } from "./matching-api.js";
export { type NewOrderInput, newOrderRecord, type OrderRequestFields } from "./new-order-record.js";
export { OrderAmountError, type OrderAmountErrorCode } from "./order-amount-error.js";
export {
  engineQuoteBudget,
  feeOf,
  type HoldAmount,
  holdFor,
  lotsToBaseUnits,
  lotsToQuantity,
  notionalToQuoteUnits,
  priceToTicks,
  quantityToLots,
  ticksToPrice,
} from "./order-amounts.js";
export { orderFromItem, orderToItem } from "./order-item.js";
export { accountTradeToProto, orderToProto, quoteOf, sideToProto } from "./order-proto.js";
export {
  type AccountTradeRecord,
  accountOrdersPartition,
  accountOrdersSortKey,
  accountTradeKey,
  clientOrderKey,
  marketBookKey,
  marketBookPartition,
  marketBookSortKey,
  OPEN_STATES,
  type OrderExpireReason,
  type OrderKind,
  type OrderRecord,
  type OrderRejectReason,
  type OrderSide,
  type OrderState,
  type OrderStp,
  type OrderTimeInForce,
  orderKey,
  orderTradesPartition,
  PENDING_PREFIX,
} from "./order-record.js";
export {
  marketUnchangedCheck,
  type RevisedTradingMarket,
  readRevisedTradingMarket,
  readTradingMarket,
  type TradingMarket,
} from "./trading-market.js";
export { RemoteUserEventLog, registerEmbeddedUserEvents } from "./user-events/index.js";
