import { type Store, type TransactItem, TransactionCanceledError } from "@bourse/common/storage";
import { describeWithStores } from "@bourse/common/testing";
import { Code } from "@connectrpc/connect";
import { expect, it } from "vitest";
import { auditLedger } from "./audit.js";
import { LedgerBatchDraft, type LedgerOpOutcome, planLedgerBatch } from "./batch-plan.js";
import { type LedgerBatchState, type LedgerOp, readLedgerBatchState } from "./batch-state.js";
import { balanceKey, feeAccountId, holdKey } from "./keys.js";
import { createLedger } from "./ledger.js";
import { readBalance } from "./reads.js";
import type { TradeToSettle } from "./settlement.js";
import { createStampFactory } from "./stamp.js";

let unique = 0;
const account = () => `batch-${++unique}`;
const newStamp = createStampFactory();

const keyOf = (item: TransactItem): string => {
  const { PK, SK } = item.kind === "put" ? item.item : item.key;
  return `${PK}|${SK}`;
};
const writesTo = (items: readonly TransactItem[], key: { PK: string; SK: string }) =>
  items.filter((item) => keyOf(item) === `${key.PK}|${key.SK}`).length;
const reasons = (outcomes: readonly LedgerOpOutcome[]) =>
  outcomes.map((outcome) => (outcome.ok ? (outcome.replayed ? "replayed" : "ok") : outcome.error.reason));

/** Plans `ops`, checking that no key is written twice and that a draft counts every prefix's items. */
async function plan(store: Store, ops: LedgerOp[]) {
  const state = await readLedgerBatchState(store, ops);
  const batch = planLedgerBatch(ops, state, newStamp());
  expect(new Set(batch.items.map(keyOf)).size).toBe(batch.items.length);
  expectDraftToCountPrefixes(ops, state);
  return batch;
}

/** A draft grown op by op refuses what the plan refuses and, after each op, counts the plan's items. */
function expectDraftToCountPrefixes(ops: readonly LedgerOp[], state: LedgerBatchState) {
  const draft = new LedgerBatchDraft(state, new Date());
  ops.forEach((op, index) => {
    const refusal = draft.add(op);
    const prefix = planLedgerBatch(ops.slice(0, index + 1), state, newStamp());
    const last = prefix.outcomes[index];
    expect(refusal?.reason).toBe(last?.ok === false ? last.error.reason : undefined);
    expect(draft.itemCount).toBe(prefix.items.length);
  });
}

function trade(fields: {
  buyer: string;
  seller: string;
  price: string;
  quantity: string;
  quoteAmount: string;
  buyerFee: string;
  sellerFee: string;
}): TradeToSettle {
  const id = ++unique;
  return {
    tradeId: String(id),
    market: "BTC-USD",
    sequence: BigInt(id),
    price: fields.price,
    quantity: fields.quantity,
    quoteAmount: fields.quoteAmount,
    executedAt: new Date(),
    buyer: {
      accountId: fields.buyer,
      orderId: "b",
      holdReferenceId: `${fields.buyer}-order`,
      maker: false,
      fee: fields.buyerFee,
    },
    seller: {
      accountId: fields.seller,
      orderId: "s",
      holdReferenceId: `${fields.seller}-order`,
      maker: true,
      fee: fields.sellerFee,
    },
  };
}

describeWithStores("planLedgerBatch", (store) => {
  const fund = (accountId: string, asset: string, scale: number, amount: string) =>
    createLedger(store()).deposit({ accountId, asset, scale, amount, idempotencyKey: `fund-${++unique}` });
  const hold = (
    accountId: string,
    asset: string,
    scale: number,
    referenceId: string,
    amount: bigint,
  ): LedgerOp => ({
    kind: "hold",
    accountId,
    asset,
    scale,
    referenceId,
    amount,
  });
  /** Releases from the hold `holdReferenceId`, by default as its order's close does. */
  const release = (
    accountId: string,
    asset: string,
    holdReferenceId: string,
    amount: bigint | "all",
    referenceId = `${holdReferenceId}:close`,
  ): Extract<LedgerOp, { kind: "release" }> => ({
    kind: "release",
    accountId,
    asset,
    holdReferenceId,
    referenceId,
    amount,
  });

  it("folds many holds of one account into one balance write, with an entry and a hold each", async () => {
    const a = account();
    await fund(a, "USD", 2, "100");
    const ops = Array.from({ length: 10 }, (_, i) => hold(a, "USD", 2, `order-${i}`, BigInt(100 * (i + 1))));
    const batch = await plan(store(), ops);
    expect(batch.items).toHaveLength(1 + 10 + 10);
    expect(writesTo(batch.items, balanceKey(a, "USD"))).toBe(1);
    expect(batch.outcomes.map((outcome) => outcome.ok && outcome.entries.map((e) => e.heldAfter))).toEqual(
      ops.map((_, i) => [BigInt((100 * (i + 1) * (i + 2)) / 2)]),
    );
    await store().transactWrite(batch.items);
    expect(await readBalance(store(), a, "USD")).toMatchObject({
      available: 10000n - 5500n,
      held: 5500n,
      version: 2,
    });
    expect(batch.balances).toEqual([await readBalance(store(), a, "USD")]);
    expect((await auditLedger(store())).discrepancies).toEqual([]);
  });

  it("settles trades and releases the taker's and makers' holds in one transaction, the fee account written once", async () => {
    const [buyer, s1, s2] = [account(), account(), account()];
    await fund(buyer, "USD", 2, "10000");
    await fund(s1, "BTC", 8, "1");
    await fund(s2, "BTC", 8, "5");
    await createLedger(store()).hold({
      accountId: s2,
      asset: "BTC",
      amount: "2",
      referenceId: `${s2}-order`,
    });
    const ops: LedgerOp[] = [
      hold(buyer, "USD", 2, `${buyer}-order`, 30300n),
      hold(s1, "BTC", 8, `${s1}-order`, 100_000_000n),
      {
        kind: "trade",
        trade: trade({
          buyer,
          seller: s1,
          price: "100",
          quantity: "1",
          quoteAmount: "100",
          buyerFee: "1",
          sellerFee: "0.5",
        }),
      },
      {
        kind: "trade",
        trade: trade({
          buyer,
          seller: s2,
          price: "99",
          quantity: "1",
          quoteAmount: "99",
          buyerFee: "0.99",
          sellerFee: "0.49",
        }),
      },
      release(buyer, "USD", `${buyer}-order`, "all"),
      release(s1, "BTC", `${s1}-order`, "all"),
      release(s2, "BTC", `${s2}-order`, 50_000_000n),
    ];
    const batch = await plan(store(), ops);
    expect(reasons(batch.outcomes)).toEqual(["ok", "ok", "ok", "ok", "ok", "ok", "ok"]);
    expect(batch.outcomes.map((outcome) => outcome.ok && outcome.released)).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
      10201n,
      0n,
      50_000_000n,
    ]);
    // Balances (write + entries): buyer USD 1+6, buyer BTC 1+2, s1 BTC 1+2, s1 USD 1+2, s2 BTC 1+2, s2 USD 1+2,
    // fee USD 1+2; holds 3; settlement records 2; release records 3.
    expect(batch.items).toHaveLength(7 + 3 + 3 + 3 + 3 + 3 + 3 + 3 + 2 + 3);
    expect(writesTo(batch.items, balanceKey(feeAccountId("BTC-USD"), "USD"))).toBe(1);
    expect(writesTo(batch.items, balanceKey(buyer, "USD"))).toBe(1);
    expect(writesTo(batch.items, holdKey(buyer, `${buyer}-order`))).toBe(1);
    await store().transactWrite(batch.items);

    expect(await readBalance(store(), buyer, "USD")).toMatchObject({ available: 979901n, held: 0n });
    expect(await readBalance(store(), buyer, "BTC")).toMatchObject({ available: 200_000_000n, held: 0n });
    expect(await readBalance(store(), s1, "USD")).toMatchObject({ available: 9950n, held: 0n });
    expect(await readBalance(store(), s1, "BTC")).toMatchObject({ available: 0n, held: 0n });
    expect(await readBalance(store(), s2, "USD")).toMatchObject({ available: 9851n, held: 0n });
    expect(await readBalance(store(), s2, "BTC")).toMatchObject({
      available: 350_000_000n,
      held: 50_000_000n,
    });
    expect(await readBalance(store(), feeAccountId("BTC-USD"), "USD")).toMatchObject({
      available: 298n,
      held: 0n,
    });
    expect(await readBalance(store(), feeAccountId("BTC-USD"), "BTC")).toBeUndefined();
    expect((await auditLedger(store())).discrepancies).toEqual([]);
  });

  it("skips replays, of what is stored and of an earlier op of the batch, and reports a different op as a conflict", async () => {
    const [buyer, seller] = [account(), account()];
    await fund(buyer, "USD", 2, "1000");
    await fund(seller, "BTC", 8, "1");
    const settle = trade({
      buyer,
      seller,
      price: "100",
      quantity: "1",
      quoteAmount: "100",
      buyerFee: "1",
      sellerFee: "1",
    });
    const close = release(buyer, "USD", `${buyer}-order`, "all");
    const ops: LedgerOp[] = [
      hold(buyer, "USD", 2, `${buyer}-order`, 20000n),
      hold(seller, "BTC", 8, `${seller}-order`, 100_000_000n),
      { kind: "trade", trade: settle },
      close,
    ];
    await store().transactWrite((await plan(store(), ops)).items);
    const after = await readBalance(store(), buyer, "USD");

    const again = await plan(store(), ops);
    expect(reasons(again.outcomes)).toEqual(["replayed", "replayed", "replayed", "replayed"]);
    expect(again.items).toEqual([]);
    expect(again.outcomes[3]).toEqual({ ok: true, replayed: true, released: 9900n, entries: [] });

    const different = await plan(store(), [
      hold(buyer, "USD", 2, `${buyer}-order`, 20001n),
      { kind: "trade", trade: { ...settle, price: "101", quoteAmount: "101" } },
      { ...close, amount: 1n },
    ]);
    expect(reasons(different.outcomes)).toEqual([
      "idempotency_conflict",
      "idempotency_conflict",
      "idempotency_conflict",
    ]);
    expect(different.items).toEqual([]);

    const within = await plan(store(), [
      hold(buyer, "USD", 2, "twice", 100n),
      hold(buyer, "USD", 2, "twice", 100n),
      hold(buyer, "USD", 2, "twice", 200n),
    ]);
    expect(reasons(within.outcomes)).toEqual(["ok", "replayed", "idempotency_conflict"]);
    expect(within.items).toHaveLength(3);
    await store().transactWrite(within.items);
    expect(await readBalance(store(), buyer, "USD")).toMatchObject({
      available: (after?.available ?? 0n) - 100n,
      held: 100n,
    });
    expect((await auditLedger(store())).discrepancies).toEqual([]);
  });

  it("leaves a refused op out and applies the others, each op seeing the ones before it", async () => {
    const [a, seller] = [account(), account()];
    await fund(a, "USD", 2, "100");
    await fund(seller, "BTC", 8, "1");
    await createLedger(store()).hold({
      accountId: seller,
      asset: "BTC",
      amount: "1",
      referenceId: `${seller}-order`,
    });
    const ops: LedgerOp[] = [
      hold(a, "USD", 2, "r1", 6000n),
      hold(a, "USD", 2, "r2", 5000n),
      hold(a, "USD", 2, `${a}-order`, 4000n),
      // 39 + 1 fits the 40 left under the hold, the second trade's 1 + 0.01 does not.
      {
        kind: "trade",
        trade: trade({
          buyer: a,
          seller,
          price: "39",
          quantity: "1",
          quoteAmount: "39",
          buyerFee: "1",
          sellerFee: "0",
        }),
      },
      {
        kind: "trade",
        trade: trade({
          buyer: a,
          seller,
          price: "1",
          quantity: "0.01",
          quoteAmount: "0.01",
          buyerFee: "0",
          sellerFee: "0",
        }),
      },
      release(a, "USD", "nothing", "all", "x"),
      {
        kind: "trade",
        trade: {
          ...trade({
            buyer: a,
            seller,
            price: "1",
            quantity: "1",
            quoteAmount: "1",
            buyerFee: "0",
            sellerFee: "0",
          }),
          market: "btc",
        },
      },
      hold(a, "USD", 2, "r4", 0n),
    ];
    const batch = await plan(store(), ops);
    expect(reasons(batch.outcomes)).toEqual([
      "ok",
      "insufficient_funds",
      "ok",
      "ok",
      "exceeds_hold",
      "hold_not_found",
      "invalid_argument",
      "invalid_argument",
    ]);
    const refused = batch.outcomes[1];
    expect(refused?.ok === false && refused.error.code).toBe(Code.FailedPrecondition);
    await store().transactWrite(batch.items);
    expect(await readBalance(store(), a, "USD")).toMatchObject({ available: 0n, held: 6000n });
    expect(await readBalance(store(), a, "BTC")).toMatchObject({ available: 100_000_000n });
    expect((await auditLedger(store())).discrepancies).toEqual([]);
  });

  it("plans from the state it read without changing it, so prefixes of one read can be planned in turn", async () => {
    const a = account();
    await fund(a, "USD", 2, "10");
    const ops = [hold(a, "USD", 2, "p1", 400n), hold(a, "USD", 2, "p2", 600n)];
    const state = await readLedgerBatchState(store(), ops);
    const first = planLedgerBatch(ops.slice(0, 1), state, newStamp());
    const both = planLedgerBatch(ops, state, newStamp());
    expect(reasons(first.outcomes)).toEqual(["ok"]);
    expect(reasons(both.outcomes)).toEqual(["ok", "ok"]);
    expect(both.items).toHaveLength(1 + 2 + 2);
    await store().transactWrite(both.items);
    expect(await readBalance(store(), a, "USD")).toMatchObject({ available: 0n, held: 1000n });
  });

  it("leaves unread the records of ops said to be new; were one stored, its put is refused and nothing changes", async () => {
    const [buyer, seller] = [account(), account()];
    await fund(buyer, "USD", 2, "600");
    await fund(seller, "BTC", 8, "3");
    const settle: LedgerOp = {
      kind: "trade",
      trade: trade({
        buyer,
        seller,
        price: "100",
        quantity: "1",
        quoteAmount: "100",
        buyerFee: "0",
        sellerFee: "0",
      }),
    };
    const ops: LedgerOp[] = [
      hold(buyer, "USD", 2, `${buyer}-order`, 30000n),
      hold(seller, "BTC", 8, `${seller}-order`, 300_000_000n),
      settle,
      release(seller, "BTC", `${seller}-order`, 50_000_000n),
    ];
    const fresh = await readLedgerBatchState(store(), ops, { isNew: () => true });
    expect([fresh.holds.size, fresh.settlements.size, fresh.releases.size]).toEqual([0, 0, 0]);
    await store().transactWrite(planLedgerBatch(ops, fresh, newStamp()).items);
    const balances = () =>
      Promise.all([readBalance(store(), buyer, "USD"), readBalance(store(), seller, "BTC")]);
    const before = await balances();
    expect(before).toMatchObject([
      { available: 30000n, held: 20000n },
      { available: 50_000_000n, held: 150_000_000n },
    ]);

    // Each op again, wrongly said to be new: the hold, settlement or release record it puts already exists.
    const replays: LedgerOp[][] = [[ops[0] as LedgerOp], [settle], [ops[3] as LedgerOp]];
    for (const replay of replays) {
      const wrong = await readLedgerBatchState(store(), replay, { isNew: () => true });
      const items = planLedgerBatch(replay, wrong, newStamp()).items;
      expect(items.length).toBeGreaterThan(0);
      const refusal = await store()
        .transactWrite(items)
        .catch((error: unknown) => error);
      expect(refusal).toBeInstanceOf(TransactionCanceledError);
      expect((refusal as TransactionCanceledError).conditionFailed).toBe(true);
      const reread = await plan(store(), replay);
      expect(reasons(reread.outcomes)).toEqual(["replayed"]);
      expect(reread.items).toEqual([]);
    }
    expect(await balances()).toEqual(before);
    expect((await auditLedger(store())).discrepancies).toEqual([]);
  });

  it("fails the whole transaction when a balance changed after the read", async () => {
    const a = account();
    await fund(a, "USD", 2, "10");
    const ops = [hold(a, "USD", 2, "late", 100n)];
    const stale = await plan(store(), ops);
    await fund(a, "USD", 2, "1");
    await expect(store().transactWrite(stale.items)).rejects.toThrow();
    expect(await store().get(holdKey(a, "late"))).toBeUndefined();
  });
});
