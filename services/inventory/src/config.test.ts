import { ConfigError } from "@bourse/common";
import { describe, expect, it } from "vitest";
import { loadInventoryConfig } from "./config.js";

describe("loadInventoryConfig", () => {
  it("defaults to the public CoinGecko API with the free tier's budget", () => {
    const config = loadInventoryConfig({});
    expect(config).toMatchObject({
      COINGECKO_ENABLED: true,
      COINGECKO_PLAN: "public",
      COINGECKO_BASE_URL: "https://api.coingecko.com/api/v3",
      COINGECKO_BUDGET_REQUESTS: 25,
      COINGECKO_BUDGET_WINDOW_MS: 60_000,
      PRICE_STREAM_INTERVAL_MS: 1_000,
    });
  });

  it("takes a key as a demo key unless the plan says pro, which also picks the pro host", () => {
    expect(loadInventoryConfig({ COINGECKO_API_KEY: "k" }).COINGECKO_PLAN).toBe("demo");
    expect(loadInventoryConfig({ COINGECKO_API_KEY: "k", COINGECKO_PLAN: "pro" })).toMatchObject({
      COINGECKO_PLAN: "pro",
      COINGECKO_BASE_URL: "https://pro-api.coingecko.com/api/v3",
    });
    expect(loadInventoryConfig({ COINGECKO_BASE_URL: "http://127.0.0.1:1/api/v3" }).COINGECKO_BASE_URL).toBe(
      "http://127.0.0.1:1/api/v3",
    );
  });

  it("refuses bad values without echoing them", () => {
    expect(() => loadInventoryConfig({ COINGECKO_PLAN: "gold", COINGECKO_MAX_ATTEMPTS: "0" })).toThrow(
      ConfigError,
    );
    expect(() => loadInventoryConfig({ PRICE_STREAM_INTERVAL_MS: "1" })).toThrow(/PRICE_STREAM_INTERVAL_MS/);
  });
});
