import { Code, ConnectError } from "@connectrpc/connect";
import { describe, expect, it } from "vitest";
import { createAssetCatalog } from "./asset-catalog.js";

/** A stand-in for the inventory client that counts calls (the integration suites use the real one). */
function inventory(
  answer: (symbol: string) => Promise<{ symbol: string; precision: number; active: boolean }>,
) {
  const calls: string[] = [];
  return {
    calls,
    getAsset: async ({ symbol }: { symbol?: string }) => {
      calls.push(symbol ?? "");
      return { asset: await answer(symbol ?? "") } as never;
    },
  };
}

describe("asset catalogue", () => {
  it("asks the inventory once per symbol while the answer is fresh, and once for concurrent askers", async () => {
    let clock = 0;
    const client = inventory(async (symbol) => ({ symbol, precision: 8, active: true }));
    const catalog = createAssetCatalog(client, { ttlMs: 1000, now: () => clock });
    await Promise.all([catalog.find("BTC"), catalog.find("BTC"), catalog.find("ETH")]);
    await catalog.find("BTC");
    expect(client.calls).toEqual(["BTC", "ETH"]);
    clock = 1001;
    expect(await catalog.find("BTC")).toEqual({ symbol: "BTC", precision: 8, active: true });
    expect(client.calls).toEqual(["BTC", "ETH", "BTC"]);
  });

  it("remembers an unknown symbol only briefly", async () => {
    let clock = 0;
    const client = inventory(async () => {
      throw new ConnectError("no such asset", Code.NotFound);
    });
    const catalog = createAssetCatalog(client, { ttlMs: 60_000, unknownTtlMs: 100, now: () => clock });
    expect(await catalog.find("NEW")).toBeUndefined();
    expect(await catalog.find("NEW")).toBeUndefined();
    clock = 101;
    await catalog.find("NEW");
    expect(client.calls).toEqual(["NEW", "NEW"]);
  });

  it("reports an unreachable inventory as unavailable and does not remember it", async () => {
    let down = true;
    const client = inventory(async (symbol) => {
      if (down) throw new ConnectError("connection refused", Code.Unavailable);
      return { symbol, precision: 2, active: true };
    });
    const catalog = createAssetCatalog(client, { ttlMs: 60_000 });
    await expect(catalog.find("USD")).rejects.toMatchObject({ code: Code.Unavailable });
    down = false;
    expect(await catalog.find("USD")).toMatchObject({ precision: 2 });
  });
});
