import { describeWithStores, type LockHarness, memoryLockHarness } from "@bourse/common/testing";
import { claimMarket } from "@bourse/ledger";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { CandleState } from "../../domain/candles.js";
import { FenceLostError } from "../../store/settlement-errors.js";
import { readCandleWatermark, readStoredCandles, writeCandles } from "./candle-store.js";

const LEASE_MS = 400;
const MINUTE = 60_000;
const START = Date.parse("2025-01-01T00:00:00Z");
const scales = { baseScale: 8, quoteScale: 2 };
let unique = 0;

/** The `index`th 1m candle from START, counting one trade of sequence `index + 1` at `price`. */
function minute(index: number, price = "100"): CandleState {
  return {
    interval: "1m",
    openTime: START + index * MINUTE,
    open: price,
    high: price,
    low: price,
    close: price,
    volume: 10n ** 20n + BigInt(index),
    quoteVolume: 5n,
    tradeCount: 1,
    lastSequence: index + 1,
  };
}

describeWithStores("candle store", (store) => {
  let locks: LockHarness;
  beforeAll(() => {
    locks = memoryLockHarness();
  });
  afterAll(() => locks.close());

  async function claimedMarket() {
    const market = `C${++unique}X${Date.now() % 100_000}-USD`;
    const lease = await claimMarket(locks.open(), store(), market, { ttlMs: LEASE_MS });
    return { market, token: lease.fencingToken };
  }

  it("reads the latest candles of a range oldest first, from its start inclusive to its end exclusive", async () => {
    const { market, token } = await claimedMarket();
    const candles = [0, 1, 2, 5, 9].map((index) => minute(index));
    await writeCandles(store(), market, { candles, lastTradeSeq: 10, fencingToken: token, scales });

    const all = await readStoredCandles(store(), market, { interval: "1m", limit: 10 });
    expect(all).toEqual(candles.map((candle) => ({ ...candle, ...scales })));
    const latestTwo = await readStoredCandles(store(), market, { interval: "1m", limit: 2 });
    expect(latestTwo.map((candle) => candle.openTime)).toEqual([START + 5 * MINUTE, START + 9 * MINUTE]);
    const range = await readStoredCandles(store(), market, {
      interval: "1m",
      from: START + MINUTE,
      to: START + 5 * MINUTE,
      limit: 10,
    });
    expect(range.map((candle) => candle.openTime)).toEqual([START + MINUTE, START + 2 * MINUTE]);
    expect(await readStoredCandles(store(), market, { interval: "5m", limit: 10 })).toEqual([]);
    expect(await readCandleWatermark(store(), market)).toBe(10);
  });

  it("refuses an owner that lost the market, so it can never regress the new owner's candles", async () => {
    const { market, token: stale } = await claimedMarket();
    await writeCandles(store(), market, {
      candles: [minute(0)],
      lastTradeSeq: 1,
      fencingToken: stale,
      scales,
    });
    await locks.pass(LEASE_MS + 100);
    const { fencingToken: current } = await claimMarket(locks.open(), store(), market, { ttlMs: LEASE_MS });
    await writeCandles(store(), market, {
      candles: [minute(0, "101")],
      lastTradeSeq: 3,
      fencingToken: current,
      scales,
    });

    const late = writeCandles(store(), market, {
      candles: [minute(0, "99")],
      lastTradeSeq: 7,
      fencingToken: stale,
      scales,
    });
    await expect(late).rejects.toBeInstanceOf(FenceLostError);
    expect((await readStoredCandles(store(), market, { interval: "1m", limit: 1 }))[0]?.close).toBe("101");
    expect(await readCandleWatermark(store(), market)).toBe(3);
  });

  it("writes nothing at or below the watermark (a retry of a flush that committed)", async () => {
    const { market, token } = await claimedMarket();
    await writeCandles(store(), market, {
      candles: [minute(0, "101")],
      lastTradeSeq: 5,
      fencingToken: token,
      scales,
    });
    await writeCandles(store(), market, {
      candles: [minute(0, "99")],
      lastTradeSeq: 5,
      fencingToken: token,
      scales,
    });
    await writeCandles(store(), market, {
      candles: [minute(0, "98")],
      lastTradeSeq: 4,
      fencingToken: token,
      scales,
    });
    expect((await readStoredCandles(store(), market, { interval: "1m", limit: 1 }))[0]?.close).toBe("101");
    expect(await readCandleWatermark(store(), market)).toBe(5);
  });

  it("spreads a catch-up of more candles than one transaction holds over several, the watermark in the last", async () => {
    const { market, token } = await claimedMarket();
    const candles = Array.from({ length: 250 }, (_, index) => minute(index));
    let transactions = 0;
    const counting = new Proxy(store(), {
      get(target, property, receiver) {
        if (property === "transactWrite") {
          return (items: Parameters<typeof target.transactWrite>[0]) => {
            transactions++;
            expect(items.length).toBeLessThanOrEqual(100);
            return target.transactWrite(items);
          };
        }
        const value = Reflect.get(target, property, receiver);
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
    await writeCandles(counting, market, {
      candles: [...candles].reverse(),
      lastTradeSeq: 250,
      fencingToken: token,
      scales,
    });
    expect(transactions).toBe(3);
    const stored = await readStoredCandles(store(), market, { interval: "1m", limit: 1000 });
    expect(stored).toEqual(candles.map((candle) => ({ ...candle, ...scales })));
    expect(await readCandleWatermark(store(), market)).toBe(250);
  });
});
