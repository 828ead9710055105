import { MemoryLockService } from "@bourse/common/locks";
import { cond, type Store } from "@bourse/common/storage";
import { describeWithStores } from "@bourse/common/testing";
import { describe, expect, it } from "vitest";
import { auditLedger } from "./audit.js";
import { claimMarket, marketFenceItem } from "./fence.js";
import { balanceKey, feeAccountId, tradeSettlementKey } from "./keys.js";
import { createLedger, type Ledger } from "./ledger.js";
import type { LedgerError } from "./ledger-error.js";
import { listBalances, listFundingEntries, listLedgerEntries, readBalance } from "./reads.js";
import type { TradeToSettle } from "./settlement.js";
import { refusal } from "./testing/refusal.js";

/** Everything an account's partition holds, to show a refused call wrote nothing. */
async function snapshot(store: Store, accountId: string) {
  const balances = await listBalances(store, accountId);
  const entries = await listLedgerEntries(store, accountId, { limit: 1000 });
  return { balances, entries: entries.map((entry) => entry.id) };
}

let unique = 0;
const account = () => `acct-${++unique}`;

function trade(
  overrides: Partial<Omit<TradeToSettle, "buyer" | "seller">> & { buyer: string; seller: string },
): TradeToSettle {
  const { buyer, seller, ...rest } = overrides;
  return {
    tradeId: `trade-${++unique}`,
    market: "BTC-USD",
    sequence: 1n,
    price: "40000.5",
    quantity: "0.1",
    quoteAmount: "4000.05",
    executedAt: new Date(),
    buyer: { accountId: buyer, orderId: "ob", holdReferenceId: "order:ob", maker: false, fee: "8" },
    seller: { accountId: seller, orderId: "os", holdReferenceId: "order:os", maker: true, fee: "4" },
    ...rest,
  };
}

describeWithStores("ledger", (store) => {
  const ledger = (): Ledger => createLedger(store());
  const fund = (accountId: string, asset: string, scale: number, amount: string) =>
    ledger().deposit({ accountId, asset, scale, amount, idempotencyKey: `fund-${++unique}` });

  it("deposits and withdraws, writing one entry each with exact after-values", async () => {
    const a = account();
    const deposit = await ledger().deposit({
      accountId: a,
      asset: "USD",
      scale: 2,
      amount: "100.5",
      idempotencyKey: "d1",
    });
    expect(deposit).toMatchObject({ replayed: false, balance: { available: 10050n, held: 0n } });
    expect(deposit.entry).toMatchObject({
      kind: "deposit",
      availableDelta: 10050n,
      availableAfter: 10050n,
      reference: "d1",
    });
    const withdrawal = await ledger().withdraw({
      accountId: a,
      asset: "USD",
      amount: "0.5",
      idempotencyKey: "w1",
    });
    expect(withdrawal.entry).toMatchObject({
      kind: "withdrawal",
      availableDelta: -50n,
      availableAfter: 10000n,
    });
    expect(await readBalance(store(), a, "USD")).toMatchObject({ available: 10000n, held: 0n, version: 2 });
    const entries = await listLedgerEntries(store(), a, { limit: 10 });
    expect(entries.map((entry) => entry.kind)).toEqual(["withdrawal", "deposit"]);
    expect((await auditLedger(store())).discrepancies).toEqual([]);
  });

  it("records a deposit's USD price and lists only funding entries, oldest first", async () => {
    const a = account();
    // One ledger, so one stamp factory: entry ids (ULIDs) made in the same millisecond still sort in order.
    const funds = ledger();
    const first = await funds.deposit({
      accountId: a,
      asset: "BTC",
      scale: 8,
      amount: "1",
      idempotencyKey: "d1",
      usdPrice: "64250.12",
    });
    await funds.hold({ accountId: a, asset: "BTC", amount: "0.5", referenceId: "order:1" });
    await funds.withdraw({ accountId: a, asset: "BTC", amount: "0.25", idempotencyKey: "w1" });
    const retried = await funds.deposit({
      accountId: a,
      asset: "BTC",
      scale: 8,
      amount: "1",
      idempotencyKey: "d1",
      usdPrice: "1",
    });
    expect(first.entry.usdPrice).toBe("64250.12");
    expect(retried.entry.usdPrice).toBe("64250.12");
    const funding = await listFundingEntries(store(), a);
    expect(funding.map((entry) => [entry.kind, entry.usdPrice])).toEqual([
      ["deposit", "64250.12"],
      ["withdrawal", undefined],
    ]);
    expect(
      await refusal(
        funds.deposit({
          accountId: a,
          asset: "BTC",
          scale: 8,
          amount: "1",
          idempotencyKey: "d2",
          usdPrice: "-1",
        }),
      ),
    ).toBe("invalid_argument");
  });

  it("applies an idempotency key once and refuses it for a different request", async () => {
    const a = account();
    const request = { accountId: a, asset: "USD", scale: 2, amount: "10", idempotencyKey: "same" };
    const first = await ledger().deposit(request);
    const again = await ledger().deposit({ ...request, amount: "10.00" });
    expect(again).toEqual({ ...first, replayed: true });
    expect(await refusal(ledger().deposit({ ...request, amount: "11" }))).toBe("idempotency_conflict");
    expect(await refusal(ledger().withdraw(request))).toBe("idempotency_conflict");
    expect(await readBalance(store(), a, "USD")).toMatchObject({ available: 1000n, version: 1 });
  });

  it("lets concurrent duplicates of one key move money once", async () => {
    const a = account();
    const request = { accountId: a, asset: "USD", scale: 2, amount: "5", idempotencyKey: "race" };
    const outcomes = await Promise.all(Array.from({ length: 10 }, () => ledger().deposit(request)));
    expect(outcomes.filter((outcome) => !outcome.replayed)).toHaveLength(1);
    expect(new Set(outcomes.map((outcome) => outcome.entry.id)).size).toBe(1);
    expect(await readBalance(store(), a, "USD")).toMatchObject({ available: 500n });
  });

  it("never overdraws under 50 concurrent withdrawals from five processes", async () => {
    const a = account();
    await fund(a, "BTC", 8, "0.2");
    // Separate ledgers stand for separate processes: they race in the store, not in a queue.
    const processes = Array.from({ length: 5 }, () => createLedger(store()));
    const results = await Promise.allSettled(
      Array.from({ length: 50 }, (_, i) =>
        processes[i % 5]?.withdraw({ accountId: a, asset: "BTC", amount: "0.01", idempotencyKey: `w-${i}` }),
      ),
    );
    const refused = results
      .filter((r) => r.status === "rejected")
      .map((r) => (r.reason as LedgerError).reason);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(20);
    expect(new Set(refused)).toEqual(new Set(["insufficient_funds"]));
    expect(await readBalance(store(), a, "BTC")).toMatchObject({ available: 0n, held: 0n });
    expect((await auditLedger(store())).discrepancies).toEqual([]);
  });

  it.each([
    ["negative", "-1"],
    ["zero", "0"],
    ["non-numeric", "ten"],
    ["over-precise", "1.001"],
    ["exponent", "1e3"],
    ["empty", ""],
    ["oversized", "9".repeat(80)],
  ])("refuses a %s amount and writes nothing", async (_label, amount) => {
    const a = account();
    await fund(a, "USD", 2, "50");
    const before = await snapshot(store(), a);
    expect(
      await refusal(ledger().deposit({ accountId: a, asset: "USD", scale: 2, amount, idempotencyKey: "k" })),
    ).toBe("invalid_argument");
    expect(
      await refusal(ledger().withdraw({ accountId: a, asset: "USD", amount, idempotencyKey: "k" })),
    ).toBe("invalid_argument");
    expect(await refusal(ledger().hold({ accountId: a, asset: "USD", amount, referenceId: "h" }))).toBe(
      "invalid_argument",
    );
    expect(await snapshot(store(), a)).toEqual(before);
  });

  it("holds and releases by reference, idempotently, never beyond what remains", async () => {
    const a = account();
    await fund(a, "USD", 2, "100");
    const hold = await ledger().hold({ accountId: a, asset: "USD", amount: "60", referenceId: "order:1" });
    expect(hold.balance).toMatchObject({ available: 4000n, held: 6000n });
    expect(await ledger().hold({ accountId: a, asset: "USD", amount: "60", referenceId: "order:1" })).toEqual(
      {
        ...hold,
        replayed: true,
      },
    );
    expect(
      await refusal(ledger().hold({ accountId: a, asset: "USD", amount: "61", referenceId: "order:1" })),
    ).toBe("idempotency_conflict");
    expect(
      await refusal(ledger().hold({ accountId: a, asset: "USD", amount: "41", referenceId: "order:2" })),
    ).toBe("insufficient_funds");
    const base = { accountId: a, asset: "USD", holdReferenceId: "order:1" };
    const partial = await ledger().release({ ...base, referenceId: "r1", amount: "10" });
    expect(partial).toMatchObject({ released: 1000n, balance: { available: 5000n, held: 5000n } });
    expect(await ledger().release({ ...base, referenceId: "r1", amount: "10" })).toEqual({
      ...partial,
      replayed: true,
    });
    expect(await refusal(ledger().release({ ...base, referenceId: "r2", amount: "50.01" }))).toBe(
      "exceeds_hold",
    );
    const rest = await ledger().release({ ...base, referenceId: "r3", amount: "all" });
    expect(rest).toMatchObject({ released: 5000n, balance: { available: 10000n, held: 0n } });
    const nothing = await ledger().release({ ...base, referenceId: "r4", amount: "all" });
    expect(nothing).toMatchObject({ released: 0n, entry: undefined, balance: { available: 10000n } });
    expect(
      await refusal(ledger().release({ ...base, holdReferenceId: "nope", referenceId: "r5", amount: "all" })),
    ).toBe("hold_not_found");
    expect(
      await refusal(ledger().hold({ accountId: account(), asset: "USD", amount: "1", referenceId: "h" })),
    ).toBe("no_balance");
    expect((await auditLedger(store())).discrepancies).toEqual([]);
  });

  describe("trade settlement", () => {
    /** Claims the market for a new owner and returns its fencing clause. */
    async function owner(market = "BTC-USD") {
      const lease = await claimMarket(new MemoryLockService(), store(), market, { ttlMs: 60_000 });
      return { token: lease.fencingToken, fence: marketFenceItem(market, lease.fencingToken) };
    }

    async function parties(buyerHold = "4500") {
      const buyer = account();
      const seller = account();
      await fund(buyer, "USD", 2, "50000");
      await fund(seller, "BTC", 8, "1");
      await ledger().hold({ accountId: buyer, asset: "USD", amount: buyerHold, referenceId: "order:ob" });
      await ledger().hold({ accountId: seller, asset: "BTC", amount: "0.5", referenceId: "order:os" });
      return { buyer, seller };
    }

    it("moves both sides and the fees, in quote on both sides, in one transaction, exactly once", async () => {
      const { buyer, seller } = await parties();
      const t = trade({ buyer, seller });
      const { fence } = await owner();
      const first = await ledger().settleTrade({ trade: t, fence });
      expect(first.newlySettled).toBe(true);
      expect(await ledger().settleTrade({ trade: t, fence })).toEqual({ newlySettled: false, entries: [] });
      // The buyer pays 4000.05 + its fee of 8 out of its 4500 hold and receives the whole 0.1 BTC.
      expect(await readBalance(store(), buyer, "USD")).toMatchObject({ available: 4550000n, held: 49195n });
      expect(await readBalance(store(), buyer, "BTC")).toMatchObject({ available: 10000000n, held: 0n });
      expect(await readBalance(store(), seller, "BTC")).toMatchObject({
        available: 50000000n,
        held: 40000000n,
      });
      expect(await readBalance(store(), seller, "USD")).toMatchObject({ available: 399605n, held: 0n });
      expect(await readBalance(store(), feeAccountId("BTC-USD"), "BTC")).toBeUndefined();
      expect(await readBalance(store(), feeAccountId("BTC-USD"), "USD")).toMatchObject({ available: 1200n });
      expect(
        first.entries.map(
          (entry) => `${entry.accountId === feeAccountId("BTC-USD") ? "fee" : "party"}:${entry.kind}`,
        ),
      ).toEqual([
        "party:trade",
        "party:fee",
        "party:trade",
        "party:trade",
        "party:trade",
        "party:fee",
        "fee:fee",
      ]);
      expect((await auditLedger(store())).discrepancies).toEqual([]);
    });

    it("refuses a stale fencing token, a trade beyond its hold and a wrong notional, changing nothing", async () => {
      const { buyer, seller } = await parties("45000");
      const previous = await owner();
      const { fence } = await owner();
      await ledger().settleTrade({ trade: trade({ buyer, seller }), fence });
      const before = [await snapshot(store(), buyer), await snapshot(store(), seller)];
      const stale = trade({ buyer, seller });
      expect(await refusal(ledger().settleTrade({ trade: stale, fence: previous.fence }))).toBe(
        "stale_fence",
      );
      expect(await store().get(tradeSettlementKey("BTC-USD", stale.tradeId))).toBeUndefined();
      const tooBig = trade({ buyer, seller, quantity: "0.5", quoteAmount: "20000.25" });
      expect(await refusal(ledger().settleTrade({ trade: tooBig, fence }))).toBe("exceeds_hold");
      const wrong = trade({ buyer, seller, quoteAmount: "4000.06" });
      expect(await refusal(ledger().settleTrade({ trade: wrong, fence }))).toBe("invalid_argument");
      const self = trade({ buyer, seller: buyer });
      expect(await refusal(ledger().settleTrade({ trade: self, fence }))).toBe("invalid_argument");
      expect([await snapshot(store(), buyer), await snapshot(store(), seller)]).toEqual(before);
      expect((await auditLedger(store())).discrepancies).toEqual([]);
    });

    it("keys settlement on market and trade id: the same trade id settles on each market", async () => {
      const { buyer, seller } = await parties("6000");
      await fund(seller, "ETH", 18, "1");
      await ledger().hold({ accountId: seller, asset: "ETH", amount: "1", referenceId: "order:os-eth" });
      const btc = trade({ buyer, seller, tradeId: "1" });
      const ethTrade = trade({
        buyer,
        seller,
        tradeId: "1",
        market: "ETH-USD",
        price: "2000",
        quantity: "0.5",
        quoteAmount: "1000",
      });
      const eth = { ...ethTrade, seller: { ...ethTrade.seller, holdReferenceId: "order:os-eth", fee: "0" } };
      const btcOwner = await owner("BTC-USD");
      const ethOwner = await owner("ETH-USD");
      expect((await ledger().settleTrade({ trade: eth, fence: ethOwner.fence })).newlySettled).toBe(true);
      expect((await ledger().settleTrade({ trade: btc, fence: btcOwner.fence })).newlySettled).toBe(true);
      expect(await readBalance(store(), seller, "ETH")).toMatchObject({
        available: 0n,
        held: 5n * 10n ** 17n,
      });
      expect(await readBalance(store(), seller, "BTC")).toMatchObject({ held: 40000000n });
      expect((await auditLedger(store())).discrepancies).toEqual([]);
    });

    it("answers an identical replay with newlySettled false, and a replay with different fields as a conflict", async () => {
      const { buyer, seller } = await parties();
      const { fence } = await owner();
      const t = trade({ buyer, seller, sequence: 41n });
      await ledger().settleTrade({ trade: t, fence });
      const before = [await snapshot(store(), buyer), await snapshot(store(), seller)];
      const sameByValue = { ...t, price: "40000.50", quantity: "0.10", quoteAmount: "4000.050" };
      expect(await ledger().settleTrade({ trade: sameByValue, fence })).toEqual({
        newlySettled: false,
        entries: [],
      });
      const other = await parties();
      const changes: Array<Partial<TradeToSettle>> = [
        { price: "40000.6", quoteAmount: "4000.06" },
        { quantity: "0.05", quoteAmount: "2000.025" },
        { sequence: 42n },
        { buyer: { ...t.buyer, accountId: other.buyer } },
        { seller: { ...t.seller, accountId: other.seller } },
        { buyer: { ...t.buyer, orderId: "another" } },
        { seller: { ...t.seller, orderId: "another" } },
        { buyer: { ...t.buyer, holdReferenceId: "order:other" } },
        { buyer: { ...t.buyer, fee: "8.01" } },
        { seller: { ...t.seller, fee: "0" } },
        { buyer: { ...t.buyer, maker: true } },
      ];
      for (const change of changes) {
        const reason = await refusal(ledger().settleTrade({ trade: { ...t, ...change }, fence }));
        expect([change, reason]).toEqual([change, "idempotency_conflict"]);
      }
      expect([await snapshot(store(), buyer), await snapshot(store(), seller)]).toEqual(before);
      expect((await auditLedger(store())).discrepancies).toEqual([]);
    });

    it("puts the caller's own items in the same transaction, so a refused one settles nothing", async () => {
      const { buyer, seller } = await parties();
      const t = trade({ buyer, seller });
      const strict = createLedger(store(), { retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 1 } });
      const refusedOrder = {
        kind: "conditionCheck" as const,
        key: { PK: "ORDER#missing", SK: "ORDER" },
        condition: cond.exists("PK"),
      };
      const { fence } = await owner();
      expect(await refusal(strict.settleTrade({ trade: t, fence, extraItems: () => [refusedOrder] }))).toBe(
        "contention",
      );
      expect(await store().get(tradeSettlementKey(t.market, t.tradeId))).toBeUndefined();
      const record = {
        kind: "put" as const,
        item: { PK: `TRADE#${t.tradeId}`, SK: "TRADE", price: t.price },
      };
      await strict.settleTrade({ trade: t, fence, extraItems: () => [record] });
      expect(await store().get({ PK: `TRADE#${t.tradeId}`, SK: "TRADE" })).toMatchObject({ price: t.price });
      expect((await auditLedger(store())).discrepancies).toEqual([]);
    });
  });

  it("audit finds a balance changed behind the ledger's back", async () => {
    const a = account();
    await fund(a, "ETH", 18, "1");
    await store().update(balanceKey(a, "ETH"), { add: { available: 1n } });
    const report = await auditLedger(store());
    expect(report.ok).toBe(false);
    expect(report.discrepancies.join("\n")).toContain(`account ${a} ETH: ledger entries sum to`);
    expect(report.discrepancies.join("\n")).toContain("ETH: balances total");
    await store().update(balanceKey(a, "ETH"), { add: { available: -1n } });
    expect((await auditLedger(store())).ok).toBe(true);
  });
});
