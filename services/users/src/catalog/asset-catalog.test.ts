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

  it("keeps at most maxEntries symbols, so a flood of unknown ones evicts the oldest instead of growing", async () => {
    const client = inventory(async (symbol) => {
      if (symbol === "BTC") return { symbol, precision: 8, active: true };
      throw new ConnectError("no such asset", Code.NotFound);
    });
    const catalog = createAssetCatalog(client, { ttlMs: 60_000, unknownTtlMs: 60_000, maxEntries: 100 });
    await catalog.find("BTC");
    for (let index = 0; index < 10_000; index += 1) await catalog.find(`NOPE${index}`);
    expect(client.calls).toHaveLength(10_001);
    // The last 100 are still remembered; BTC and the early unknown ones were evicted.
    await catalog.find("NOPE9999");
    await catalog.find("NOPE9900");
    expect(client.calls).toHaveLength(10_001);
    await catalog.find("BTC");
    await catalog.find("NOPE0");
    expect(client.calls.slice(-2)).toEqual(["BTC", "NOPE0"]);
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
