import type { Logger } from "@bourse/common";
import type { Store } from "@bourse/common/storage";
import type { InventoryService } from "@bourse/proto/bourse/inventory/v1/inventory_service_pb";
import { PriceSource } from "@bourse/proto/bourse/inventory/v1/price_pb";
import { readRecentMarketTrades } from "@bourse/trading";
import { type Client, Code, ConnectError } from "@connectrpc/connect";
import { USD } from "../domain/portfolio/replay-history.js";

/** A USD price of one unit, with where it came from. */
export interface Mark {
  readonly price: string;
  readonly source: PriceSource;
}

export interface MarkPricesOptions {
  readonly store: Store;
  readonly inventory: Pick<Client<typeof InventoryService>, "getPrices">;
  /** How long a valuation waits for inventory's reference prices before going on without them. */
  readonly timeoutMs: number;
  readonly logger: Logger;
}

/** The market that prices an asset in USD on this exchange. */
export const usdMarketOf = (asset: string): string => `${asset}-${USD}`;

/**
 * Marks for the portfolio, in this order: USD is 1 (UNSPECIFIED source); else the last trade of `<ASSET>-USD`
 * (LAST_TRADE; read from the market's trade index, so a trade a moment old may not count yet); else the
 * inventory reference price with its own source. An asset none of them prices is left out.
 */
export class MarkPrices {
  constructor(private readonly options: MarkPricesOptions) {}

  async marks(assets: Iterable<string>): Promise<Map<string, Mark>> {
    const marks = new Map<string, Mark>();
    const traded = [...new Set(assets)].filter((asset) => asset !== USD);
    marks.set(USD, { price: "1", source: PriceSource.UNSPECIFIED });
    const lastTrades = await Promise.all(
      traded.map(async (asset) => {
        const [last] = await readRecentMarketTrades(this.options.store, usdMarketOf(asset), { limit: 1 });
        return [asset, last?.price] as const;
      }),
    );
    for (const [asset, price] of lastTrades) {
      if (price !== undefined) marks.set(asset, { price, source: PriceSource.LAST_TRADE });
    }
    const unpriced = traded.filter((asset) => !marks.has(asset));
    for (const [asset, mark] of await this.referencePrices(unpriced)) marks.set(asset, mark);
    return marks;
  }

  /**
   * One GetPrices call for all; inventory refuses the whole call for one unknown or unpriceable asset, so
   * then each is asked alone and only that one goes without a price.
   */
  private async referencePrices(assets: readonly string[]): Promise<Map<string, Mark>> {
    if (assets.length === 0) return new Map();
    try {
      return await this.ask(assets);
    } catch (error) {
      const code = ConnectError.from(error).code;
      if (assets.length > 1 && (code === Code.NotFound || code === Code.InvalidArgument)) {
        const each = await Promise.all(assets.map((asset) => this.ask([asset]).catch(() => new Map())));
        return new Map(each.flatMap((marks) => [...marks]));
      }
      this.options.logger.warn(
        { err: error, assets },
        "portfolio: no reference prices, holdings left unpriced",
      );
      return new Map();
    }
  }

  private async ask(assets: readonly string[]): Promise<Map<string, Mark>> {
    const { prices } = await this.options.inventory.getPrices(
      { assets: [...assets] },
      { timeoutMs: this.options.timeoutMs },
    );
    return new Map(prices.map((price) => [price.asset, { price: price.price, source: price.source }]));
  }
}
