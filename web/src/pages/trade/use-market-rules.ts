import { InventoryService } from "@bourse/proto/bourse/inventory/v1/inventory_service_pb";
import { MarketStatus } from "@bourse/proto/bourse/inventory/v1/market_pb";
import { useQuery } from "@connectrpc/connect-query";
import type { MarketRules } from "./order-draft.ts";

/**
 * The market's trading rules from InventoryService.GetMarket, with the quote asset's precision (GetAsset),
 * to which the server rounds fees and holds. `error` is the failed call, if any.
 */
export function useMarketRules(symbol: string): { rules: MarketRules | undefined; error: unknown } {
  const market = useQuery(InventoryService.method.getMarket, { symbol });
  const quote = market.data?.market?.quote;
  const quoteAsset = useQuery(
    InventoryService.method.getAsset,
    { symbol: quote ?? "" },
    { enabled: !!quote },
  );
  const found = market.data?.market;
  const precision = quoteAsset.data?.asset?.precision;
  const rules =
    found && precision !== undefined
      ? {
          base: found.base,
          quote: found.quote,
          tickSize: found.tickSize,
          lotSize: found.lotSize,
          minQuantity: found.minQuantity,
          minNotional: found.minNotional,
          makerFeeRate: found.makerFeeRate,
          takerFeeRate: found.takerFeeRate,
          quoteScale: precision,
          halted: found.status === MarketStatus.HALTED,
        }
      : undefined;
  return { rules, error: market.error ?? quoteAsset.error ?? undefined };
}
