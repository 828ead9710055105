import { InventoryService } from "@bourse/proto/bourse/inventory/v1/inventory_service_pb";
import { MarketDataService } from "@bourse/proto/bourse/marketdata/v1/market_data_service_pb";
import { OrderService } from "@bourse/proto/bourse/orders/v1/order_service_pb";
import { PortfolioService } from "@bourse/proto/bourse/orders/v1/portfolio_service_pb";
import { AuthService } from "@bourse/proto/bourse/users/v1/auth_service_pb";
import { BalanceService } from "@bourse/proto/bourse/users/v1/balance_service_pb";
import { describe, expect, it } from "vitest";
import { methodCost } from "./method-cost.js";

describe("method costs", () => {
  it("charge 5 for order-book writes, money movements and sign-ups", () => {
    for (const method of ["PlaceOrder", "AmendOrder", "CancelOrder", "CancelAllOrders"]) {
      expect(methodCost(OrderService.typeName, method)).toBe(5);
    }
    expect(methodCost(BalanceService.typeName, "Deposit")).toBe(5);
    expect(methodCost(BalanceService.typeName, "Withdraw")).toBe(5);
    expect(methodCost(AuthService.typeName, "Register")).toBe(5);
  });

  it("charge 5 for every server stream", () => {
    expect(methodCost(OrderService.typeName, "StreamMyOrders")).toBe(5);
    expect(methodCost(InventoryService.typeName, "StreamPrices")).toBe(5);
    for (const method of ["StreamOrderBook", "StreamTrades", "StreamTickers"]) {
      expect(methodCost(MarketDataService.typeName, method)).toBe(5);
    }
  });

  it("charge 1 for reads and the other calls", () => {
    expect(methodCost(OrderService.typeName, "GetOrder")).toBe(1);
    expect(methodCost(OrderService.typeName, "ListOrders")).toBe(1);
    expect(methodCost(PortfolioService.typeName, "GetPortfolio")).toBe(1);
    expect(methodCost(MarketDataService.typeName, "GetOrderBook")).toBe(1);
    expect(methodCost(BalanceService.typeName, "GetBalances")).toBe(1);
    expect(methodCost(AuthService.typeName, "Login")).toBe(1);
  });

  it("go by the fully qualified service name: a same-named method elsewhere is not charged 5", () => {
    expect(methodCost("bourse.matching.v1.MatchingService", "CancelOrder")).toBe(1);
    expect(methodCost("OrderService", "PlaceOrder")).toBe(1);
  });
});
