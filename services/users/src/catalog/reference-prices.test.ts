import { createLogger } from "@bourse/common";
import { PriceSchema } from "@bourse/proto/bourse/inventory/v1/price_pb";
import { create } from "@bufbuild/protobuf";
import { Code, ConnectError } from "@connectrpc/connect";
import { describe, expect, it } from "vitest";
import { createReferencePrices } from "./reference-prices.js";

const logger = createLogger("users", { level: "silent" });

describe("reference prices of deposits", () => {
  it("asks inventory for the asset's price, with the timeout", async () => {
    const asked: Array<{ assets: string[]; timeoutMs?: number }> = [];
    const prices = createReferencePrices(
      {
        getPrices: async (request, options) => {
          asked.push({ assets: [...(request.assets ?? [])], timeoutMs: options?.timeoutMs });
          return { prices: [create(PriceSchema, { asset: "BTC", price: "64250.12" })] } as never;
        },
      },
      { timeoutMs: 250, logger },
    );
    expect(await prices.usdPrice("BTC")).toBe("64250.12");
    expect(asked).toEqual([{ assets: ["BTC"], timeoutMs: 250 }]);
  });

  it("prices USD at 1 without asking", async () => {
    const prices = createReferencePrices(
      { getPrices: async () => expect.unreachable("USD is never asked for") },
      { timeoutMs: 250, logger },
    );
    expect(await prices.usdPrice("USD")).toBe("1");
  });

  it("answers no price when inventory refuses or is unreachable", async () => {
    for (const code of [Code.InvalidArgument, Code.Unavailable, Code.DeadlineExceeded]) {
      const prices = createReferencePrices(
        {
          getPrices: async () => {
            throw new ConnectError("no price", code);
          },
        },
        { timeoutMs: 250, logger },
      );
      expect(await prices.usdPrice("BTC")).toBeUndefined();
    }
  });
});
