import { describe, expect, it } from "vitest";
import {
  assetSymbolSchema,
  idempotencyKeySchema,
  identifierSchema,
  marketSymbolSchema,
  parseMarketSymbol,
  ulidSchema,
} from "./identifiers.js";

const accepts = (schema: { safeParse(value: unknown): { success: boolean } }, value: string) =>
  schema.safeParse(value).success;

describe("identifiers", () => {
  it("asset symbols are 1 to 15 upper-case letters and digits", () => {
    for (const symbol of ["BTC", "USDT", "1INCH", "A", "ABCDEFGHIJKLMNO"])
      expect(accepts(assetSymbolSchema, symbol)).toBe(true);
    for (const symbol of ["", "btc", "BTC-USD", "ABCDEFGHIJKLMNOP", "BT C", "BTÇ"]) {
      expect(accepts(assetSymbolSchema, symbol)).toBe(false);
    }
  });

  it("market symbols are BASE-QUOTE of two different assets", () => {
    expect(parseMarketSymbol("BTC-USD")).toEqual({ base: "BTC", quote: "USD" });
    for (const symbol of ["BTC", "BTC-", "-USD", "btc-usd", "BTC-BTC", "BTC-USD-EUR", "BTC_USD"]) {
      expect(parseMarketSymbol(symbol)).toBeUndefined();
    }
    expect(accepts(marketSymbolSchema, "ETH-USDT")).toBe(true);
    expect(accepts(marketSymbolSchema, "ETH/USDT")).toBe(false);
  });

  it("identifiers and idempotency keys allow letters, digits and _.:- up to 128 and 64 characters", () => {
    expect(accepts(identifierSchema, "order:42_a.b-c")).toBe(true);
    expect(accepts(identifierSchema, "k".repeat(128))).toBe(true);
    expect(accepts(identifierSchema, "k".repeat(129))).toBe(false);
    expect(accepts(idempotencyKeySchema, "k".repeat(64))).toBe(true);
    for (const key of ["", "a b", "k".repeat(65), "a/b", "a\nb"])
      expect(accepts(idempotencyKeySchema, key)).toBe(false);
  });

  it("ULIDs are 26 characters of Crockford's base 32", () => {
    expect(accepts(ulidSchema, "01HZY3J6J8Q3W7G0Z5X4V2B1NM")).toBe(true);
    for (const id of [
      "01HZY3J6J8Q3W7G0Z5X4V2B1N",
      "01HZY3J6J8Q3W7G0Z5X4V2B1NI",
      "01hzy3j6j8q3w7g0z5x4v2b1nm",
    ]) {
      expect(accepts(ulidSchema, id)).toBe(false);
    }
  });
});
