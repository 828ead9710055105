import type { Logger } from "@bourse/common";
import type { InventoryService } from "@bourse/proto/bourse/inventory/v1/inventory_service_pb";
import type { Client } from "@connectrpc/connect";

/** The USD price of one unit of an asset now, recorded on a deposit for the portfolio's cost basis. */
export interface ReferencePrices {
  /** "1" for USD; undefined when inventory has no price for it or does not answer within the timeout. */
  usdPrice(asset: string): Promise<string | undefined>;
}

export interface ReferencePricesOptions {
  /** How long a deposit waits for the price before going ahead without one. */
  readonly timeoutMs: number;
  readonly logger: Logger;
}

/**
 * Prices from InventoryService.GetPrices. A deposit never fails for want of a price: without one, the
 * portfolio values those units at the mark of the moment it is asked (services/orders/README.md).
 */
export function createReferencePrices(
  inventory: Pick<Client<typeof InventoryService>, "getPrices">,
  options: ReferencePricesOptions,
): ReferencePrices {
  return {
    async usdPrice(asset) {
      if (asset === "USD") return "1";
      try {
        const { prices } = await inventory.getPrices({ assets: [asset] }, { timeoutMs: options.timeoutMs });
        return prices.find((price) => price.asset === asset)?.price || undefined;
      } catch (error) {
        options.logger.warn({ err: error, asset }, "deposit: no reference price, recorded without one");
        return undefined;
      }
    },
  };
}
