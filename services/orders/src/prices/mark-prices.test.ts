import { createLogger } from "@bourse/common";
import { describeWithStores } from "@bourse/common/testing";
import { type Price, PriceSchema, PriceSource } from "@bourse/proto/bourse/inventory/v1/price_pb";
import { accountTradeToItem } from "@bourse/trading";
import { create } from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";
import { expect, it } from "vitest";
import { MarkPrices } from "./mark-prices.js";

const logger = createLogger("orders", { level: "silent" });

/** A stand-in for InventoryService.GetPrices that refuses the whole call for an asset it cannot price, as inventory does. */
function fakeInventory(prices: Record<string, string>, refuse?: Code) {
  const asked: string[][] = [];
  return {
    asked,
    inventory: {
      getPrices: async (request: { assets?: string[] }) => {
        const assets = [...(request.assets ?? [])];
        asked.push(assets);
        if (refuse !== undefined) throw new ConnectError("inventory is down", refuse);
        const unknown = assets.find((asset) => prices[asset] === undefined);
        if (unknown) throw new ConnectError(`${unknown} has no price`, Code.InvalidArgument);
        return {
          prices: assets.map(
            (asset): Price =>
              create(PriceSchema, { asset, price: prices[asset], source: PriceSource.SNAPSHOT }),
          ),
        } as never;
      },
    },
  };
}

describeWithStores("MarkPrices", (store) => {
  let sequence = 0;
  const trade = (market: string, price: string) =>
    store().put(
      accountTradeToItem({
        accountId: "buyer",
        market,
        tradeId: `t${++sequence}`,
        orderId: `o${sequence}`,
        side: "buy",
        maker: false,
        price,
        quantity: 1n,
        quoteAmount: 1n,
        feeQuote: 0n,
        baseScale: 0,
        quoteScale: 0,
        sequence,
        executedAt: new Date(),
      }),
    );

  it("marks USD at 1, then the last trade of <ASSET>-USD, then inventory's reference price", async () => {
    await trade("XMR-USD", "150.5");
    await trade("XMR-USD", "151.25");
    const { inventory, asked } = fakeInventory({ ZEC: "40.1", XMR: "999" });
    const marks = await new MarkPrices({ store: store(), inventory, timeoutMs: 100, logger }).marks([
      "USD",
      "XMR",
      "ZEC",
    ]);
    expect(Object.fromEntries(marks)).toEqual({
      USD: { price: "1", source: PriceSource.UNSPECIFIED },
      XMR: { price: "151.25", source: PriceSource.LAST_TRADE },
      ZEC: { price: "40.1", source: PriceSource.SNAPSHOT },
    });
    expect(asked).toEqual([["ZEC"]]);
  });

  it("leaves only the unpriceable asset without a mark, and all of them when inventory is down", async () => {
    const partly = fakeInventory({ ZEC: "40.1" });
    const marks = await new MarkPrices({
      store: store(),
      inventory: partly.inventory,
      timeoutMs: 100,
      logger,
    }).marks(["ZEC", "NOPRICE"]);
    expect([...marks.keys()].sort()).toEqual(["USD", "ZEC"]);
    const down = fakeInventory({ ZEC: "40.1" }, Code.Unavailable);
    const none = await new MarkPrices({
      store: store(),
      inventory: down.inventory,
      timeoutMs: 100,
      logger,
    }).marks(["ZEC"]);
    expect([...none.keys()]).toEqual(["USD"]);
  });
});
