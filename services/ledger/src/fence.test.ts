import { randomUUID } from "node:crypto";
import { LockLostError, type LockService } from "@bourse/common/locks";
import type { Store } from "@bourse/common/storage";
import {
  describeWithStores,
  type LockHarness,
  memoryLockHarness,
  redisLockHarness,
} from "@bourse/common/testing";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { claimMarket, marketFenceItem, marketLockResource, readMarketFence } from "./fence.js";
import { marketSequenceKey } from "./keys.js";
import { createLedger } from "./ledger.js";
import { LedgerError } from "./ledger-error.js";
import type { TradeToSettle } from "./settlement.js";

const LONG_TTL_MS = 30_000;
const SHORT_TTL_MS = 200;
let unique = 0;

async function reason(call: Promise<unknown>): Promise<string> {
  try {
    await call;
  } catch (error) {
    if (error instanceof LedgerError) return error.reason;
    throw error;
  }
  return "settled";
}

function fencingSuite(store: () => Store, makeLocks: () => LockHarness) {
  let locks: LockHarness;
  let market: string;
  let buyer: string;
  let seller: string;
  beforeAll(() => {
    locks = makeLocks();
  });
  afterAll(() => locks.close());

  /** A fresh market with two funded parties, so every test starts from an unclaimed fence. */
  async function freshMarket(): Promise<void> {
    market = `F${++unique}X${Date.now() % 100_000}-USD`;
    const ledger = createLedger(store());
    buyer = `buyer-${randomUUID()}`;
    seller = `seller-${randomUUID()}`;
    const base = market.split("-")[0] as string;
    await ledger.deposit({ accountId: buyer, asset: "USD", scale: 2, amount: "1000", idempotencyKey: "f" });
    await ledger.deposit({ accountId: seller, asset: base, scale: 8, amount: "10", idempotencyKey: "f" });
    await ledger.hold({ accountId: buyer, asset: "USD", amount: "1000", referenceId: "order:b" });
    await ledger.hold({ accountId: seller, asset: base, amount: "10", referenceId: "order:s" });
  }

  function settle(fencingToken: bigint) {
    const trade: TradeToSettle = {
      tradeId: `t${++unique}`,
      market,
      sequence: BigInt(unique),
      price: "10",
      quantity: "1",
      quoteAmount: "10",
      executedAt: new Date(),
      buyer: { accountId: buyer, orderId: "b", holdReferenceId: "order:b", maker: true, fee: "0" },
      seller: { accountId: seller, orderId: "s", holdReferenceId: "order:s", maker: false, fee: "0" },
    };
    return createLedger(store()).settleTrade({ trade, fence: marketFenceItem(market, fencingToken) });
  }

  const claim = (ttlMs = LONG_TTL_MS) => claimMarket(locks.open(), store(), market, { ttlMs });

  it("raises the stored fence to the owner's token when it claims the market", async () => {
    await freshMarket();
    expect(await readMarketFence(store(), market)).toBeUndefined();
    const owner = await claim();
    expect(await readMarketFence(store(), market)).toBe(owner.fencingToken);
    expect(await settle(owner.fencingToken)).toMatchObject({ newlySettled: true });
    await owner.release();
  });

  it("refuses a made-up token, even the largest, without moving the fence", async () => {
    await freshMarket();
    const owner = await claim();
    for (const token of [2n ** 64n - 1n, owner.fencingToken + 1n, owner.fencingToken - 1n]) {
      if (token > 0n) expect(await reason(settle(token))).toBe("stale_fence");
    }
    expect(await readMarketFence(store(), market)).toBe(owner.fencingToken);
    expect(await reason(settle(owner.fencingToken))).toBe("settled");
    await owner.release();
  });

  it("refuses settlement on a market nobody claimed", async () => {
    await freshMarket();
    expect(await reason(settle(1n))).toBe("stale_fence");
  });

  it("gives the next owner a token above the stored fence after the lock store lost its counter", async () => {
    await freshMarket();
    const first = await claim();
    await settle(first.fencingToken);
    await first.release();
    const second = await claim();
    await settle(second.fencingToken);
    await second.release();
    await locks.lose();

    const third = await claim();
    expect(third.fencingToken).toBeGreaterThan(second.fencingToken);
    expect(await reason(settle(second.fencingToken))).toBe("stale_fence");
    expect(await reason(settle(third.fencingToken))).toBe("settled");
    await third.release();
  });

  it("fences out a paused owner as soon as a new owner claims, before the new owner settles anything", async () => {
    await freshMarket();
    const paused = await claim(SHORT_TTL_MS);
    await settle(paused.fencingToken);
    await locks.pass(SHORT_TTL_MS + 100);
    const current = await claim();
    expect(await reason(settle(paused.fencingToken))).toBe("stale_fence");
    expect(await reason(settle(current.fencingToken))).toBe("settled");
    await current.release();
  });

  it("releases the lease and fails when a newer owner raised the fence first", async () => {
    await freshMarket();
    const service = locks.open();
    const racing: LockService = {
      acquire: async (resource, options) => {
        const lease = await service.acquire(resource, options);
        // A newer owner's claim lands between this one's lease and its raise of the fence.
        await store().update(marketSequenceKey(market), { set: { fencingToken: lease.fencingToken + 1n } });
        return lease;
      },
      tryAcquire: (resource, options) => service.tryAcquire(resource, options),
      isCurrentToken: (resource, token) => service.isCurrentToken(resource, token),
      assertCurrent: (lease) => service.assertCurrent(lease),
      close: () => service.close(),
    };
    await expect(claimMarket(racing, store(), market, { ttlMs: LONG_TTL_MS })).rejects.toBeInstanceOf(
      LockLostError,
    );
    const next = await service.tryAcquire(marketLockResource(market), { ttlMs: LONG_TTL_MS });
    expect(next).not.toBeNull();
    await next?.release();
  });
}

describeWithStores("market fence with in-process locks", (store) => {
  fencingSuite(store, memoryLockHarness);
});

const redisUrl = inject("redisUrl");
describe.skipIf(!redisUrl)("on real Redis", () => {
  describeWithStores("market fence with Redis locks", (store) => {
    fencingSuite(store, () => redisLockHarness(redisUrl ?? ""));
  });
});
