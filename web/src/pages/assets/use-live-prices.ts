import { InventoryService } from "@bourse/proto/bourse/inventory/v1/inventory_service_pb";
import type { Price } from "@bourse/proto/bourse/inventory/v1/price_pb";
import { useState } from "react";
import { api } from "../../api/clients.ts";
import { useStream } from "../../api/streams.ts";

/**
 * Reference prices of the given assets, live from StreamPrices (the current price of each first, then changes).
 * Only assets with a CoinGecko id have a price: asking for another fails the whole stream, so the caller
 * passes only those.
 */
export function useLivePrices(symbols: readonly string[]) {
  const [prices, setPrices] = useState<ReadonlyMap<string, Price>>(new Map());
  const key = symbols.length === 0 ? null : symbols.join(",");
  const stream = useStream(key, {
    open: (options) => api(InventoryService).streamPrices({ assets: [...symbols] }, options),
    onMessage: (message) =>
      setPrices((current) => {
        const next = new Map(current);
        for (const price of message.prices) next.set(price.asset, price);
        return next;
      }),
  });
  return { prices, error: stream.error };
}
