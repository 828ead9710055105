import { describeWithStores } from "@bourse/common/testing";
import type { Asset } from "@bourse/proto/bourse/inventory/v1/asset_pb";
import type { ListAssetsRequestSchema } from "@bourse/proto/bourse/inventory/v1/inventory_service_pb";
import { AssetSort } from "@bourse/proto/bourse/inventory/v1/inventory_service_pb";
import { MarketStatus } from "@bourse/proto/bourse/inventory/v1/market_pb";
import type { MessageInitShape } from "@bufbuild/protobuf";
import { Code } from "@connectrpc/connect";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { codeOf, type InventoryHarness, startInventory } from "../testing/inventory-harness.js";

type ListInit = MessageInitShape<typeof ListAssetsRequestSchema>;

describeWithStores("inventory catalogue", (store) => {
  let inventory: InventoryHarness;
  beforeAll(async () => {
    inventory = await startInventory(store());
  });
  afterAll(() => inventory.stop());

  /** Every page of a listing, following next_page_token to the end. */
  async function listAll(request: ListInit, options = {}): Promise<Asset[]> {
    const assets: Asset[] = [];
    let pageToken = "";
    do {
      const page = await inventory.client.listAssets({ ...request, pageToken }, options);
      assets.push(...page.assets);
      pageToken = page.nextPageToken;
    } while (pageToken !== "");
    return assets;
  }

  describe("assets", () => {
    it("serves the bundled catalogue of at least 100 assets, looked up by symbol in any case", async () => {
      const { asset } = await inventory.client.getAsset({ symbol: "btc" });
      expect(asset).toMatchObject({
        symbol: "BTC",
        name: "Bitcoin",
        precision: 8,
        coingeckoId: "bitcoin",
        active: true,
        category: "layer-1",
        marketCapRank: 1,
      });
      expect(asset?.createdAt).toBeDefined();
      const all = await listAll({ pageSize: 100 });
      expect(all.length).toBeGreaterThanOrEqual(100);
    });

    it("has USD as the quote asset, with a precision that fits tick x lot of every market", async () => {
      const { asset } = await inventory.client.getAsset({ symbol: "USD" });
      expect(asset).toMatchObject({ symbol: "USD", precision: 8, coingeckoId: "", category: "fiat" });
    });

    it("answers NOT_FOUND for an unknown symbol and INVALID_ARGUMENT for a malformed one", async () => {
      expect(await codeOf(inventory.client.getAsset({ symbol: "NOPE" }))).toBe(Code.NotFound);
      expect(await codeOf(inventory.client.getAsset({ symbol: "" }))).toBe(Code.InvalidArgument);
      expect(await codeOf(inventory.client.getAsset({ symbol: "B@D" }))).toBe(Code.InvalidArgument);
      expect(await codeOf(inventory.client.getAsset({ symbol: "X".repeat(2000) }))).toBe(
        Code.InvalidArgument,
      );
    });

    it("lists by market cap by default: ranked assets in rank order, unranked (USD) last, pages covering each once", async () => {
      const whole = await listAll({ pageSize: 100 });
      const paged = await listAll({ pageSize: 7 });
      expect(paged.map((asset) => asset.symbol)).toEqual(whole.map((asset) => asset.symbol));
      expect(new Set(paged.map((asset) => asset.symbol)).size).toBe(paged.length);
      const ranked = paged.filter((asset) => asset.marketCapRank > 0).map((asset) => asset.marketCapRank);
      expect(ranked).toEqual([...ranked].sort((a, b) => a - b));
      expect(paged.slice(0, 3).map((asset) => asset.symbol)).toEqual(["BTC", "ETH", "USDT"]);
      expect(paged.filter((asset) => asset.marketCapRank === 0).map((asset) => asset.symbol)).toContain(
        "USD",
      );
      expect(paged.at(-1)?.marketCapRank).toBe(0);
    });

    it("sorts by symbol and by name, case-insensitively, ties by symbol", async () => {
      const bySymbol = (await listAll({ sort: AssetSort.SYMBOL, pageSize: 13 })).map((asset) => asset.symbol);
      expect(bySymbol).toEqual([...bySymbol].sort());
      const byName = (await listAll({ sort: AssetSort.NAME, pageSize: 13 })).map((asset) =>
        asset.name.toLowerCase(),
      );
      expect(byName).toEqual([...byName].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b))));
    });

    it("searches symbols by prefix and names by substring, and filters by category", async () => {
      const bit = await listAll({ query: "BIT", sort: AssetSort.SYMBOL });
      expect(bit.map((asset) => asset.symbol)).toEqual(
        expect.arrayContaining(["BTC", "BCH", "BGB", "TAO", "WBTC"]),
      );
      for (const asset of bit) {
        expect(asset.symbol.startsWith("BIT") || asset.name.toLowerCase().includes("bit")).toBe(true);
      }
      const eth = await listAll({ query: "eth", pageSize: 2 });
      expect(eth.map((asset) => asset.symbol)).toEqual(expect.arrayContaining(["ETH", "ETC", "ENA", "ENS"]));
      const stablecoins = await listAll({ category: "stablecoin" });
      expect(stablecoins.map((asset) => asset.symbol).sort()).toEqual([
        "DAI",
        "FDUSD",
        "TUSD",
        "USDC",
        "USDT",
      ]);
      const memes = await listAll({ category: "meme", query: "i", sort: AssetSort.NAME, pageSize: 1 });
      expect(memes.map((asset) => asset.symbol)).toEqual(["DOGE", "WIF", "FLOKI", "SHIB"]);
    });

    it("refuses bad page sizes and page tokens with INVALID_ARGUMENT, and changes nothing", async () => {
      const before = await listAll({ pageSize: 100, sort: AssetSort.SYMBOL });
      const list = (request: ListInit) => codeOf(inventory.client.listAssets(request));
      expect(await list({ pageSize: 0 })).toBe(Code.InvalidArgument);
      expect(await list({ pageSize: -1 })).toBe(Code.InvalidArgument);
      expect(await list({ pageSize: 10_000 })).toBe(Code.InvalidArgument);
      expect(await list({ pageSize: 101 })).toBe(Code.InvalidArgument);
      expect(await list({ pageToken: "not a token" })).toBe(Code.InvalidArgument);
      expect(await list({ pageToken: Buffer.from('{"v":1}').toString("base64url") })).toBe(
        Code.InvalidArgument,
      );
      expect(await list({ query: "x".repeat(65) })).toBe(Code.InvalidArgument);
      expect(await list({ category: "Not A Slug" })).toBe(Code.InvalidArgument);
      expect(await list({ sort: 99 as AssetSort })).toBe(Code.InvalidArgument);

      const first = await inventory.client.listAssets({ pageSize: 5, query: "a" });
      expect(first.nextPageToken).not.toBe("");
      expect(await list({ pageSize: 5, query: "b", pageToken: first.nextPageToken })).toBe(
        Code.InvalidArgument,
      );
      expect(
        await list({ pageSize: 5, sort: AssetSort.NAME, query: "a", pageToken: first.nextPageToken }),
      ).toBe(Code.InvalidArgument);
      const second = await inventory.client.listAssets({
        pageSize: 5,
        query: "a",
        pageToken: first.nextPageToken,
      });
      expect(second.assets[0]?.symbol).not.toBe(first.assets[0]?.symbol);
      expect(await listAll({ pageSize: 100, sort: AssetSort.SYMBOL })).toEqual(before);
    });

    it("shows delisted assets only to admins", async () => {
      const { client, asAdmin, asCustomer } = inventory;
      await client.createAsset(
        {
          asset: {
            symbol: "DELIST1",
            name: "Delisted One",
            precision: 4,
            category: "delist-test",
            active: true,
          },
        },
        asAdmin,
      );
      await client.updateAsset({ symbol: "delist1", active: false }, asAdmin);
      expect(await codeOf(client.getAsset({ symbol: "DELIST1" }))).toBe(Code.NotFound);
      expect(await codeOf(client.getAsset({ symbol: "DELIST1" }, asCustomer))).toBe(Code.NotFound);
      expect((await client.getAsset({ symbol: "DELIST1" }, asAdmin)).asset?.active).toBe(false);
      expect((await client.listAssets({ category: "delist-test" })).assets).toEqual([]);
      const withInactive = await client.listAssets(
        { category: "delist-test", includeInactive: true },
        asAdmin,
      );
      expect(withInactive.assets.map((asset) => asset.symbol)).toEqual(["DELIST1"]);
      expect(await codeOf(client.listAssets({ includeInactive: true }))).toBe(Code.Unauthenticated);
      expect(await codeOf(client.listAssets({ includeInactive: true }, asCustomer))).toBe(
        Code.PermissionDenied,
      );
      expect(
        await codeOf(
          client.getAsset({ symbol: "DELIST1" }, { headers: { authorization: "Bearer forged.token.here" } }),
        ),
      ).toBe(Code.Unauthenticated);
    });
  });

  describe("a page token under concurrent edits", () => {
    it("neither repeats nor skips assets that did not change", async () => {
      const { client, asAdmin } = inventory;
      const symbols = Array.from({ length: 10 }, (_, index) => `CURSOR${index}`);
      for (const [index, symbol] of symbols.entries()) {
        await client.createAsset(
          {
            asset: {
              symbol,
              name: `Cursor ${index}`,
              precision: 8,
              category: "cursor-test",
              marketCapRank: 90_000 + index,
              active: true,
            },
          },
          asAdmin,
        );
      }
      const request = { category: "cursor-test", pageSize: 3 };
      const first = await client.listAssets(request);
      expect(first.assets.map((asset) => asset.symbol)).toEqual(["CURSOR0", "CURSOR1", "CURSOR2"]);

      // Edits between pages: the asset the token points at is delisted, a seen one is renamed, a new asset
      // sorts before the token, and one not yet seen is renamed without moving.
      await client.updateAsset({ symbol: "CURSOR2", active: false }, asAdmin);
      await client.updateAsset({ symbol: "CURSOR0", name: "Cursor zero" }, asAdmin);
      await client.createAsset(
        {
          asset: {
            symbol: "CURSORNEW",
            name: "Cursor new",
            precision: 8,
            category: "cursor-test",
            marketCapRank: 89_999,
            active: true,
          },
        },
        asAdmin,
      );
      await client.updateAsset({ symbol: "CURSOR5", name: "Cursor five" }, asAdmin);

      const rest: Asset[] = [];
      let pageToken = first.nextPageToken;
      while (pageToken !== "") {
        const page = await client.listAssets({ ...request, pageToken });
        rest.push(...page.assets);
        pageToken = page.nextPageToken;
      }
      expect(rest.map((asset) => asset.symbol)).toEqual(symbols.slice(3));
      expect(rest.find((asset) => asset.symbol === "CURSOR5")?.name).toBe("Cursor five");
    });
  });

  describe("markets", () => {
    it("lists at least 20 BASE-USD markets sorted by symbol, each with sizes and fees", async () => {
      const { markets } = await inventory.client.listMarkets({});
      expect(markets.length).toBeGreaterThanOrEqual(20);
      const symbols = markets.map((market) => market.symbol);
      expect(symbols).toEqual([...symbols].sort());
      for (const market of markets) {
        expect(market.symbol).toBe(`${market.base}-USD`);
        expect(market.status).toBe(MarketStatus.ACTIVE);
        expect(market.tickSize).toMatch(/^\d+(\.\d+)?$/);
        expect(market.minNotional).toBe("5");
      }
      expect((await inventory.client.listMarkets({ quote: "usd" })).markets).toHaveLength(markets.length);
      expect((await inventory.client.listMarkets({ quote: "EUR" })).markets).toEqual([]);
    });

    it("gets one market by symbol in any case, NOT_FOUND for an unknown one", async () => {
      const { market } = await inventory.client.getMarket({ symbol: "btc-usd" });
      expect(market).toMatchObject({
        symbol: "BTC-USD",
        base: "BTC",
        quote: "USD",
        tickSize: "0.01",
        lotSize: "0.00001",
        minQuantity: "0.00001",
        minNotional: "5",
        makerFeeRate: "0.001",
        takerFeeRate: "0.002",
        status: MarketStatus.ACTIVE,
        statusReason: "",
      });
      expect(await codeOf(inventory.client.getMarket({ symbol: "NOPE-USD" }))).toBe(Code.NotFound);
      expect(await codeOf(inventory.client.getMarket({ symbol: "BTCUSD" }))).toBe(Code.InvalidArgument);
    });

    it("is halted and resumed by an admin only; setting the current status again is a no-op", async () => {
      const { client, asAdmin, asCustomer } = inventory;
      const halt = { symbol: "LTC-USD", status: MarketStatus.HALTED, reason: "maintenance" };
      expect(await codeOf(client.setMarketStatus(halt))).toBe(Code.Unauthenticated);
      expect(await codeOf(client.setMarketStatus(halt, asCustomer))).toBe(Code.PermissionDenied);

      const halted = (await client.setMarketStatus(halt, asAdmin)).market;
      expect(halted).toMatchObject({ status: MarketStatus.HALTED, statusReason: "maintenance" });
      const again = (await client.setMarketStatus({ ...halt, reason: "other" }, asAdmin)).market;
      expect(again).toEqual(halted);
      const listed = await client.listMarkets({ status: MarketStatus.HALTED });
      expect(listed.markets.map((market) => market.symbol)).toEqual(["LTC-USD"]);

      const resumed = (
        await client.setMarketStatus({ symbol: "ltc-usd", status: MarketStatus.ACTIVE }, asAdmin)
      ).market;
      expect(resumed).toMatchObject({ status: MarketStatus.ACTIVE, statusReason: "" });
    });

    it("refuses bad status changes and changes nothing", async () => {
      const { client, asAdmin } = inventory;
      const before = (await client.getMarket({ symbol: "ETH-USD" })).market;
      const set = (request: { symbol: string; status: MarketStatus; reason?: string }) =>
        codeOf(client.setMarketStatus(request, asAdmin));
      expect(await set({ symbol: "ETH-USD", status: MarketStatus.UNSPECIFIED })).toBe(Code.InvalidArgument);
      expect(await set({ symbol: "ETH-USD", status: MarketStatus.HALTED })).toBe(Code.InvalidArgument);
      expect(await set({ symbol: "ETH-USD", status: MarketStatus.HALTED, reason: "x".repeat(201) })).toBe(
        Code.InvalidArgument,
      );
      expect(await set({ symbol: "ETH-USD", status: MarketStatus.ACTIVE, reason: "why" })).toBe(
        Code.InvalidArgument,
      );
      expect(await set({ symbol: "NOPE-USD", status: MarketStatus.HALTED, reason: "x" })).toBe(Code.NotFound);
      expect((await client.getMarket({ symbol: "ETH-USD" })).market).toEqual(before);
    });
  });

  describe("admin edits", () => {
    it("require the admin role", async () => {
      const { client, asCustomer } = inventory;
      const asset = { symbol: "NEWCOIN", name: "New Coin", precision: 8, active: true };
      expect(await codeOf(client.createAsset({ asset }))).toBe(Code.Unauthenticated);
      expect(await codeOf(client.createAsset({ asset }, asCustomer))).toBe(Code.PermissionDenied);
      expect(await codeOf(client.updateAsset({ symbol: "BTC", name: "Mine" }, asCustomer))).toBe(
        Code.PermissionDenied,
      );
      expect(await codeOf(client.getAsset({ symbol: "NEWCOIN" }))).toBe(Code.NotFound);
      expect((await client.getAsset({ symbol: "BTC" })).asset?.name).toBe("Bitcoin");
    });

    it("refuse bad input and unknown symbols, and change nothing", async () => {
      const { client, asAdmin } = inventory;
      const before = (await client.getAsset({ symbol: "SOL" })).asset;
      const update = (request: Parameters<typeof client.updateAsset>[0]) =>
        codeOf(client.updateAsset(request, asAdmin));
      expect(await update({ symbol: "SOL", name: "" })).toBe(Code.InvalidArgument);
      expect(await update({ symbol: "SOL", name: "x".repeat(65) })).toBe(Code.InvalidArgument);
      expect(await update({ symbol: "SOL", category: "Layer 1" })).toBe(Code.InvalidArgument);
      expect(await update({ symbol: "SOL", coingeckoId: "Not An Id" })).toBe(Code.InvalidArgument);
      expect(await update({ symbol: "NOPE", name: "Nope" })).toBe(Code.NotFound);
      expect((await client.getAsset({ symbol: "SOL" })).asset).toEqual(before);

      const create = (asset: Record<string, unknown>) => codeOf(client.createAsset({ asset }, asAdmin));
      expect(await create({ symbol: "SOL", name: "Second Solana", precision: 8, active: true })).toBe(
        Code.AlreadyExists,
      );
      expect(await create({ symbol: "lower", name: "Lower", precision: 8 })).toBe(Code.InvalidArgument);
      expect(await create({ symbol: "BIGPREC", name: "Big", precision: 19 })).toBe(Code.InvalidArgument);
      expect(await create({ symbol: "NONAME", name: "", precision: 2 })).toBe(Code.InvalidArgument);
      expect(await codeOf(client.createAsset({}, asAdmin))).toBe(Code.InvalidArgument);
      expect((await client.getAsset({ symbol: "SOL" })).asset).toEqual(before);
      expect(await codeOf(client.getAsset({ symbol: "BIGPREC" }, asAdmin))).toBe(Code.NotFound);
    });

    it("persist across restarts: the seed never overwrites them", async () => {
      const { client, asAdmin } = inventory;
      const edited = (await client.updateAsset({ symbol: "LTC", name: "Litecoin (edited)" }, asAdmin)).asset;
      expect(edited?.updatedAt).not.toEqual(edited?.createdAt);
      const second = await startInventory(store());
      try {
        expect((await second.client.getAsset({ symbol: "LTC" })).asset).toEqual(edited);
      } finally {
        await second.stop();
        await client.updateAsset({ symbol: "LTC", name: "Litecoin" }, asAdmin);
      }
    });
  });
});
