import { randomUUID } from "node:crypto";
import { describeWithStores, testRedisUrl } from "@bourse/common/testing";
import type { StreamPricesResponse } from "@bourse/proto/bourse/inventory/v1/inventory_service_pb";
import { PriceSource } from "@bourse/proto/bourse/inventory/v1/price_pb";
import { timestampDate } from "@bufbuild/protobuf/wkt";
import { Code } from "@connectrpc/connect";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { compareDecimals } from "../domain/decimal-math.js";
import { readPriceSnapshot } from "../seed/seed-files.js";
import { type FakeCoinGecko, startFakeCoinGecko } from "../testing/fake-coingecko.js";
import { codeOf, type InventoryHarness, startInventory } from "../testing/inventory-harness.js";

const SECOND = 1_000;
const DAY = 86_400_000;
const snapshotAsOf = Date.parse(readPriceSnapshot().asOf);
const start = snapshotAsOf + DAY;
const lastUpdated = Math.floor((start - 60 * SECOND) / 1000);

const coins = [
  { id: "bitcoin", symbol: "btc", price: "64250.12", change24h: "-2.35", lastUpdated },
  { id: "ethereum", symbol: "eth", price: "3105.5", change24h: "1.2", lastUpdated },
  { id: "shiba-inu", symbol: "shib", price: "1.162e-05", change24h: "0.5", lastUpdated },
];

/** Timings small enough to step through every stage by moving the injected clock. */
const priceEnv = {
  COINGECKO_ENABLED: "true",
  COINGECKO_MAX_ATTEMPTS: "1",
  COINGECKO_BREAKER_FAILURES: "2",
  COINGECKO_BREAKER_HALF_OPEN_MS: "3600000",
  PRICE_REFRESH_INTERVAL_MS: "3600000",
  PRICE_FRESH_MS: String(60 * SECOND),
  PRICE_STALE_MS: String(300 * SECOND),
  PRICE_SNAPSHOT_TTL_MS: String(7 * DAY),
  PRICE_STREAM_INTERVAL_MS: "20",
  SIMULATION_STEP_MS: String(SECOND),
};

function priceSuite(name: string, extraEnv: () => Record<string, string>) {
  describeWithStores(name, (store) => {
    let fake: FakeCoinGecko;
    let inventory: InventoryHarness;
    let now: number;

    async function priceOf(symbol: string) {
      const { prices } = await inventory.client.getPrices({ assets: [symbol] });
      const [price] = prices;
      if (!price) throw new Error(`no price for ${symbol}`);
      return { ...price, asOfMs: price.asOf ? timestampDate(price.asOf).getTime() : 0 };
    }

    async function startWith(env: Record<string, string> = {}) {
      inventory = await startInventory(
        store(),
        { ...priceEnv, COINGECKO_BASE_URL: fake.url, ...extraEnv(), ...env },
        { now: () => new Date(now) },
      );
    }

    beforeEach(async () => {
      now = start;
      fake = await startFakeCoinGecko(coins);
    });
    afterEach(async () => {
      await inventory.stop();
      await fake.close();
    });

    it("falls back from coingecko to cache, snapshot and simulated, with the right source at each step", async () => {
      await startWith();
      await vi.waitFor(async () => expect((await priceOf("BTC")).source).toBe(PriceSource.COINGECKO));
      await vi.waitFor(() =>
        expect(fake.requests.some((request) => request.path === "/coins/markets")).toBe(true),
      );

      const live = await priceOf("BTC");
      expect(live).toMatchObject({ asset: "BTC", price: "64250.12", change24hPercent: "-2.35" });
      expect(live.asOfMs).toBe(lastUpdated * 1000);
      expect((await priceOf("shib")).price).toBe("0.00001162");

      // CoinGecko fails from now on; past the fresh window the cached quote is served as `cache`,
      // and a revalidation through /simple/price is attempted in the background.
      fake.always({ status: 500 });
      now += 61 * SECOND;
      expect(await priceOf("BTC")).toMatchObject({ price: "64250.12", source: PriceSource.CACHE });
      await vi.waitFor(() => expect(fake.requests.some((r) => r.path === "/simple/price")).toBe(true));

      // Past the stale window: the bundled snapshot, stamped with its date.
      now += 300 * SECOND;
      const snapshot = await priceOf("BTC");
      expect(snapshot).toMatchObject({
        price: "107150.42",
        source: PriceSource.SNAPSHOT,
        change24hPercent: "1.12",
      });
      expect(snapshot.asOfMs).toBe(snapshotAsOf);

      // The failed revalidations opened the breaker: later ones never reach CoinGecko.
      now += 61 * SECOND;
      await priceOf("BTC");
      await vi.waitFor(async () =>
        expect(
          await inventory.metric("inventory_coingecko_requests_total", {
            endpoint: "/simple/price",
            outcome: "circuit_open",
          }),
        ).toBeGreaterThan(0),
      );

      // Once the snapshot is older than its TTL: a simulated walk around the last real price, never live.
      now = snapshotAsOf + 8 * DAY;
      const simulated = await priceOf("BTC");
      expect(simulated.source).toBe(PriceSource.SIMULATED);
      expect(simulated.change24hPercent).toBe("");
      expect(simulated.asOfMs).toBe(now);
      expect(compareDecimals(simulated.price, "32125.06")).toBeGreaterThanOrEqual(0);
      expect(compareDecimals(simulated.price, "128500.24")).toBeLessThanOrEqual(0);

      now += 5 * SECOND;
      const later = await priceOf("BTC");
      expect(later.source).toBe(PriceSource.SIMULATED);
      expect(later.asOfMs).toBe(snapshotAsOf + 8 * DAY + 5 * SECOND);
      expect(later.price).not.toBe(simulated.price);
      expect(
        await inventory.metric("inventory_prices_served_total", { source: "simulated" }),
      ).toBeGreaterThan(0);
    });

    it("serves the snapshot when CoinGecko was never reachable, then simulates around the snapshot price", async () => {
      fake.always({ status: 503 });
      await startWith();
      const snapshot = await priceOf("ETH");
      expect(snapshot).toMatchObject({ price: "2486.31", source: PriceSource.SNAPSHOT });
      expect(
        await inventory.metric("inventory_price_cache_lookups_total", { result: "miss" }),
      ).toBeGreaterThan(0);

      now = snapshotAsOf + 7 * DAY;
      const simulated = await priceOf("ETH");
      expect(simulated.source).toBe(PriceSource.SIMULATED);
      expect(compareDecimals(simulated.price, "1243.155")).toBeGreaterThanOrEqual(0);
      expect(compareDecimals(simulated.price, "4972.62")).toBeLessThanOrEqual(0);
    });

    it("recovers: a successful revalidation makes prices live again", async () => {
      fake.always({ status: 503 });
      await startWith({ COINGECKO_BREAKER_FAILURES: "100" });
      expect((await priceOf("BTC")).source).toBe(PriceSource.SNAPSHOT);
      fake.always(undefined);
      now += 61 * SECOND;
      await vi.waitFor(async () => expect((await priceOf("BTC")).source).toBe(PriceSource.COINGECKO));
      expect(await inventory.metric("inventory_price_cache_hit_ratio")).toBeGreaterThan(0);
    });

    it("validates requests before pricing anything", async () => {
      await startWith({ COINGECKO_ENABLED: "false" });
      const { client, asAdmin } = inventory;
      expect(await codeOf(client.getPrices({ assets: ["BTC", "NOPE"] }))).toBe(Code.NotFound);
      expect(await codeOf(client.getPrices({ assets: ["USD"] }))).toBe(Code.InvalidArgument);
      expect(await codeOf(client.getPrices({ assets: ["b@d"] }))).toBe(Code.InvalidArgument);
      expect(await codeOf(client.getPrices({ assets: Array(251).fill("BTC") }))).toBe(Code.InvalidArgument);

      await client.createAsset(
        { asset: { symbol: "NOPRICE", name: "No Price", precision: 2, active: true } },
        asAdmin,
      );
      expect(await codeOf(client.getPrices({ assets: ["NOPRICE"] }))).toBe(Code.InvalidArgument);
      await client.createAsset(
        { asset: { symbol: "UNSEEN", name: "Unseen", precision: 2, coingeckoId: "unseen", active: true } },
        asAdmin,
      );
      expect(await codeOf(client.getPrices({ assets: ["UNSEEN"] }))).toBe(Code.Unavailable);
      await client.updateAsset({ symbol: "UNSEEN", active: false }, asAdmin);
      expect(await codeOf(client.getPrices({ assets: ["UNSEEN"] }))).toBe(Code.NotFound);

      const { prices } = await client.getPrices({ assets: ["eth", "BTC"] });
      expect(prices.map((price) => price.asset)).toEqual(["ETH", "BTC"]);
      const all = (await client.getPrices({})).prices.map((price) => price.asset);
      expect(all).toEqual([...all].sort());
      expect(all).toContain("BTC");
      expect(all).not.toContain("USD");
      expect(all).not.toContain("NOPRICE");
      expect(all.length).toBeGreaterThanOrEqual(100);
      expect(
        await codeOf(
          client
            .streamPrices({ assets: ["NOPE"] })
            [Symbol.asyncIterator]()
            .next(),
        ),
      ).toBe(Code.NotFound);
    });

    it("streams every price first, then only changes, and frees the stream when the client leaves", async () => {
      await startWith({ COINGECKO_ENABLED: "false" });
      now = snapshotAsOf + 8 * DAY;
      const abort = new AbortController();
      const stream = inventory.client.streamPrices({ assets: ["BTC", "ETH"] }, { signal: abort.signal });
      const messages = stream[Symbol.asyncIterator]();
      const next = async (): Promise<StreamPricesResponse> => {
        const result = await messages.next();
        if (result.done) throw new Error("the stream ended");
        return result.value;
      };

      const first = await next();
      expect(first.prices.map((price) => [price.asset, price.source])).toEqual([
        ["BTC", PriceSource.SIMULATED],
        ["ETH", PriceSource.SIMULATED],
      ]);
      expect(await inventory.metric("inventory_price_streams")).toBe(1);

      now += 3 * SECOND;
      const changed = (await next()).prices;
      expect(changed.length).toBeGreaterThan(0);
      expect(new Set(changed.map((price) => price.asset)).size).toBe(changed.length);
      for (const price of changed) {
        const before = first.prices.find((earlier) => earlier.asset === price.asset);
        expect(price.price).not.toBe(before?.price);
      }

      abort.abort();
      expect(await codeOf(next())).toBe(Code.Canceled);
      await vi.waitFor(async () => expect(await inventory.metric("inventory_price_streams")).toBe(0));
    });

    it("refuses a stream past MAX_OPEN_STREAMS with resource_exhausted, and takes one again when a stream ends", async () => {
      await startWith({ COINGECKO_ENABLED: "false", MAX_OPEN_STREAMS: "2" });
      now = snapshotAsOf + 8 * DAY;
      const open = async () => {
        const abort = new AbortController();
        const stream = inventory.client.streamPrices({ assets: ["BTC"] }, { signal: abort.signal });
        await stream[Symbol.asyncIterator]().next();
        return abort;
      };
      const first = await open();
      const second = await open();
      expect(await codeOf(open())).toBe(Code.ResourceExhausted);
      expect(await inventory.metric("inventory_price_streams")).toBe(2);
      first.abort();
      const third = await vi.waitFor(open, { timeout: 10_000, interval: 20 });
      second.abort();
      third.abort();
    });
  });
}

priceSuite("inventory prices, in-memory cache", () => ({}));

const redisUrl = testRedisUrl();
describe.skipIf(!redisUrl)("with Redis", () => {
  let prefix: string;
  beforeAll(() => {
    prefix = `test-${randomUUID()}:`;
  });
  afterAll(() => {});
  priceSuite("inventory prices, Redis cache", () => ({
    REDIS_URL: redisUrl ?? "",
    PRICE_CACHE_KEY_PREFIX: `${prefix}${randomUUID()}:`,
  }));
});
