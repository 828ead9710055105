import { ConfigError, createServiceClient, startService } from "@bourse/common";
import { serviceCredentialInterceptor } from "@bourse/common/auth";
import { describeWithStores, rpcError } from "@bourse/common/testing";
import {
  auditLedger,
  claimMarket,
  feeAccountId,
  holdKey,
  marketLockResource,
  readBalance,
  readMarketFence,
} from "@bourse/ledger";
import type { SettlementTradeSchema } from "@bourse/proto/bourse/users/v1/ledger_service_pb";
import { LedgerService } from "@bourse/proto/bourse/users/v1/ledger_service_pb";
import type { MessageInitShape } from "@bufbuild/protobuf";
import { timestampNow } from "@bufbuild/protobuf/wkt";
import { Code, type Interceptor } from "@connectrpc/connect";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createUsersService } from "../server.js";
import { startUsers, type TestUser, type UsersHarness } from "../testing/users-harness.js";

let ids = 0;
const id = (prefix: string) => `${prefix}:${++ids}`;

describeWithStores("LedgerService", (store) => {
  let h: UsersHarness;
  beforeAll(async () => {
    h = await startUsers(store());
  });
  afterAll(() => h?.stop());

  const fund = (user: TestUser, asset: string, amount: string) =>
    h.balances.deposit({ asset, amount, idempotencyKey: id("fund") }, { headers: user.headers });
  const balanceOf = async (accountId: string, asset: string) => {
    const balance = await readBalance(store(), accountId, asset);
    return balance && [balance.available, balance.held];
  };

  it("refuses to start without SERVICE_CREDENTIAL or with a short one, whatever BIND_HOST is", async () => {
    for (const host of ["127.0.0.1", "::1", "0.0.0.0"]) {
      const env = { BIND_HOST: host, RPC_PORT: "0", ADMIN_PORT: "0", LOG_LEVEL: "silent" };
      for (const credential of [undefined, "x".repeat(31)]) {
        const start = startService(createUsersService(), {
          env: credential === undefined ? env : { ...env, SERVICE_CREDENTIAL: credential },
          store: store(),
        });
        const error = await start.then(
          (running) => running.stop(),
          (refusal: unknown) => refusal,
        );
        expect(error).toBeInstanceOf(ConfigError);
        expect(String(error)).toContain("SERVICE_CREDENTIAL");
      }
    }
  });

  it("admits only callers presenting the service credential: no credential, a wrong one or a customer's token change nothing", async () => {
    const [user, other] = [await h.signUp(), await h.signUp()];
    await fund(user, "USD", "10");
    await fund(other, "BTC", "1");
    const order = id("order");
    await h.ledger.hold({ accountId: user.userId, asset: "USD", amount: "2", referenceId: order });
    const owner = await claimMarket(h.locks, store(), "BTC-USD", { ttlMs: 60_000 });
    const callers: Array<[string, { interceptors?: Interceptor[] }]> = [
      ["no credential", {}],
      ["a wrong credential", { interceptors: [serviceCredentialInterceptor(`${h.serviceCredential}x`)] }],
    ];
    const hold = { accountId: user.userId, asset: "USD", amount: "1", referenceId: id("order") };
    const release = {
      accountId: user.userId,
      asset: "USD",
      holdReferenceId: order,
      referenceId: id("cancel"),
      size: { case: "allRemaining" as const, value: true },
    };
    const settle = {
      market: "BTC-USD",
      fencingToken: owner.fencingToken,
      trades: [
        {
          tradeId: id("trade"),
          sequence: 1n,
          price: "2",
          quantity: "1",
          quoteAmount: "2",
          executedAt: timestampNow(),
          buyer: { accountId: user.userId, orderId: "b", holdReferenceId: order, maker: true, fee: "0" },
          seller: { accountId: other.userId, orderId: "s", holdReferenceId: "none", maker: false, fee: "0" },
        },
      ],
    };
    for (const [name, options] of callers) {
      const client = createServiceClient(LedgerService, {
        baseUrl: h.users.rpcUrl,
        caller: "test",
        ...options,
      });
      for (const headers of [undefined, user.headers]) {
        // One call at a time: a call started early could be refused before anything awaits it.
        for (const call of [
          () => client.hold(hold, { headers }),
          () => client.release(release, { headers }),
          () => client.settle(settle, { headers }),
        ]) {
          const error = await rpcError(call());
          expect([name, error.code]).toEqual([name, Code.Unauthenticated]);
        }
      }
    }
    expect(await balanceOf(user.userId, "USD")).toEqual([800000000n, 200000000n]);
    expect(await balanceOf(other.userId, "BTC")).toEqual([100000000n, 0n]);
    expect(await store().get(holdKey(user.userId, hold.referenceId))).toBeUndefined();
    await owner.release();
  });

  it("holds and releases idempotently by reference id", async () => {
    const user = await h.signUp();
    await fund(user, "USD", "100");
    const order = id("order");
    const hold = await h.ledger.hold({
      accountId: user.userId,
      asset: "USD",
      amount: "60.5",
      referenceId: order,
    });
    expect(hold).toMatchObject({ replayed: false, balance: { available: "39.5", held: "60.5" } });
    const again = await h.ledger.hold({
      accountId: user.userId,
      asset: "USD",
      amount: "60.50",
      referenceId: order,
    });
    expect(again.replayed).toBe(true);
    expect(again.entry?.id).toBe(hold.entry?.id);
    const conflict = await rpcError(
      h.ledger.hold({ accountId: user.userId, asset: "USD", amount: "1", referenceId: order }),
    );
    expect(conflict.code).toBe(Code.AlreadyExists);
    const tooMuch = await rpcError(
      h.ledger.hold({ accountId: user.userId, asset: "USD", amount: "40", referenceId: id("order") }),
    );
    expect(tooMuch.code).toBe(Code.FailedPrecondition);
    const release = {
      accountId: user.userId,
      asset: "USD",
      holdReferenceId: order,
      referenceId: id("cancel"),
      size: { case: "amount" as const, value: "0.5" },
    };
    expect(await h.ledger.release(release)).toMatchObject({ releasedAmount: "0.5", replayed: false });
    expect(await h.ledger.release(release)).toMatchObject({ releasedAmount: "0.5", replayed: true });
    const rest = await h.ledger.release({
      ...release,
      referenceId: id("close"),
      size: { case: "allRemaining", value: true },
    });
    expect(rest).toMatchObject({ releasedAmount: "60", balance: { available: "100", held: "0" } });
    const empty = await h.ledger.release({
      ...release,
      referenceId: id("close"),
      size: { case: "allRemaining", value: true },
    });
    expect(empty.releasedAmount).toBe("0");
    expect(empty.entry).toBeUndefined();
    expect(await balanceOf(user.userId, "USD")).toEqual([10000000000n, 0n]);
  });

  it("refuses bad input with invalid_argument, unknown accounts and holds with not_found, changing nothing", async () => {
    const user = await h.signUp();
    await fund(user, "BTC", "1");
    const base = { accountId: user.userId, asset: "BTC", amount: "0.5", referenceId: id("order") };
    for (const change of [
      { amount: "-1" },
      { amount: "0" },
      { amount: "x" },
      { amount: "0.000000001" },
      { asset: "btc" },
      { referenceId: "" },
      { referenceId: "has space" },
      { accountId: "" },
    ]) {
      const error = await rpcError(h.ledger.hold({ ...base, ...change }));
      expect([change, error.code]).toEqual([change, Code.InvalidArgument]);
    }
    const noSize = await rpcError(
      h.ledger.release({ accountId: user.userId, asset: "BTC", holdReferenceId: "h", referenceId: "r" }),
    );
    expect(noSize.code).toBe(Code.InvalidArgument);
    const notAll = await rpcError(
      h.ledger.release({
        accountId: user.userId,
        asset: "BTC",
        holdReferenceId: "h",
        referenceId: "r",
        size: { case: "allRemaining", value: false },
      }),
    );
    expect(notAll.code).toBe(Code.InvalidArgument);
    expect((await rpcError(h.ledger.hold({ ...base, accountId: "01JUNKNOWNACCOUNT0000000000" }))).code).toBe(
      Code.NotFound,
    );
    const missingHold = await rpcError(
      h.ledger.release({
        accountId: user.userId,
        asset: "BTC",
        holdReferenceId: "no-such-hold",
        referenceId: id("cancel"),
        size: { case: "allRemaining", value: true },
      }),
    );
    expect(missingHold.code).toBe(Code.NotFound);
    expect(await balanceOf(user.userId, "BTC")).toEqual([100000000n, 0n]);
  });

  it("settles a batch of trades once each, with fees to the market's fee account, and fences stale owners", async () => {
    const [buyer, seller] = [await h.signUp(), await h.signUp()];
    await fund(buyer, "USD", "10000");
    await fund(seller, "ETH", "2");
    const buyOrder = id("order");
    const sellOrder = id("order");
    await h.ledger.hold({ accountId: buyer.userId, asset: "USD", amount: "5000", referenceId: buyOrder });
    await h.ledger.hold({ accountId: seller.userId, asset: "ETH", amount: "2", referenceId: sellOrder });
    const trade = (
      quantity: string,
      quoteAmount: string,
    ): MessageInitShape<typeof SettlementTradeSchema> => ({
      tradeId: id("trade"),
      sequence: BigInt(ids),
      price: "2000",
      quantity,
      quoteAmount,
      executedAt: timestampNow(),
      buyer: { accountId: buyer.userId, orderId: "b", holdReferenceId: buyOrder, maker: true, fee: "1" },
      seller: { accountId: seller.userId, orderId: "s", holdReferenceId: sellOrder, maker: false, fee: "2" },
    });
    const owner = await claimMarket(h.locks, store(), "ETH-USD", { ttlMs: 60_000 });
    const batch = [trade("1", "2000"), trade("0.5", "1000")];
    const settled = await h.ledger.settle({
      market: "ETH-USD",
      fencingToken: owner.fencingToken,
      trades: batch,
    });
    expect(settled.results.map((r) => r.newlySettled)).toEqual([true, true]);
    const replay = await h.ledger.settle({
      market: "ETH-USD",
      fencingToken: owner.fencingToken,
      trades: batch,
    });
    expect(replay.results.map((r) => r.newlySettled)).toEqual([false, false]);
    const changed = { ...batch[0], price: "2001", quoteAmount: "2001" };
    const conflict = await rpcError(
      h.ledger.settle({ market: "ETH-USD", fencingToken: owner.fencingToken, trades: [changed] }),
    );
    expect(conflict.code).toBe(Code.AlreadyExists);
    // Fees are in quote on both sides: the buyer pays 3000 + 2 × 1 out of its hold and receives 1.5 ETH.
    expect(await balanceOf(buyer.userId, "USD")).toEqual([500000000000n, 199800000000n]);
    expect(await balanceOf(buyer.userId, "ETH")).toEqual([150000000n, 0n]);
    expect(await balanceOf(seller.userId, "ETH")).toEqual([0n, 50000000n]);
    expect(await balanceOf(seller.userId, "USD")).toEqual([299600000000n, 0n]);
    expect(await balanceOf(feeAccountId("ETH-USD"), "ETH")).toBeUndefined();
    expect(await balanceOf(feeAccountId("ETH-USD"), "USD")).toEqual([600000000n, 0n]);

    await owner.release();
    const next = await claimMarket(h.locks, store(), "ETH-USD", { ttlMs: 60_000 });
    const stale = await rpcError(
      h.ledger.settle({ market: "ETH-USD", fencingToken: owner.fencingToken, trades: [trade("0.1", "200")] }),
    );
    expect(stale.code).toBe(Code.FailedPrecondition);
    const tooBig = trade("1", "2000");
    const partial = await rpcError(
      h.ledger.settle({
        market: "ETH-USD",
        fencingToken: next.fencingToken,
        trades: [trade("0.25", "500"), tooBig],
      }),
    );
    expect(partial.code).toBe(Code.FailedPrecondition);
    expect(await balanceOf(seller.userId, "ETH")).toEqual([0n, 25000000n]);
    const malformed: Array<{ quoteAmount?: string; price?: string; quantity?: string }> = [
      { quoteAmount: "1" },
      { price: "abc" },
      { quantity: "-1" },
    ];
    for (const change of malformed) {
      const error = await rpcError(
        h.ledger.settle({
          market: "ETH-USD",
          fencingToken: next.fencingToken,
          trades: [{ ...trade("0.1", "200"), ...change }],
        }),
      );
      expect([change, error.code]).toEqual([change, Code.InvalidArgument]);
    }
    for (const request of [
      { market: "eth-usd", fencingToken: next.fencingToken, trades: [trade("0.1", "200")] },
      { market: "ETH-USD", fencingToken: 0n, trades: [trade("0.1", "200")] },
      { market: "ETH-USD", fencingToken: next.fencingToken, trades: [] },
    ]) {
      expect((await rpcError(h.ledger.settle(request))).code).toBe(Code.InvalidArgument);
    }
    expect(await balanceOf(seller.userId, "ETH")).toEqual([0n, 25000000n]);
    await next.release();
  });

  it("never lets a caller choose a fencing token: made-up and unclaimed tokens are failed_precondition and move nothing", async () => {
    const [buyer, seller] = [await h.signUp(), await h.signUp()];
    await fund(buyer, "USD", "100");
    await fund(seller, "SOL", "10");
    const buyOrder = id("order");
    const sellOrder = id("order");
    await h.ledger.hold({ accountId: buyer.userId, asset: "USD", amount: "100", referenceId: buyOrder });
    await h.ledger.hold({ accountId: seller.userId, asset: "SOL", amount: "10", referenceId: sellOrder });
    const trade = () => ({
      tradeId: id("trade"),
      sequence: BigInt(ids),
      price: "10",
      quantity: "1",
      quoteAmount: "10",
      executedAt: timestampNow(),
      buyer: { accountId: buyer.userId, orderId: "b", holdReferenceId: buyOrder, maker: true, fee: "0" },
      seller: { accountId: seller.userId, orderId: "s", holdReferenceId: sellOrder, maker: false, fee: "0" },
    });
    const owner = await claimMarket(h.locks, store(), "SOL-USD", { ttlMs: 60_000 });
    for (const fencingToken of [18446744073709551615n, owner.fencingToken + 1n]) {
      const error = await rpcError(h.ledger.settle({ market: "SOL-USD", fencingToken, trades: [trade()] }));
      expect([fencingToken, error.code]).toEqual([fencingToken, Code.FailedPrecondition]);
    }
    expect(await readMarketFence(store(), "SOL-USD")).toBe(owner.fencingToken);
    expect(await balanceOf(seller.userId, "SOL")).toEqual([0n, 1000000000n]);
    await owner.release();

    // A token the lock service issued to a holder that never raised the fence (claimMarket) is refused too.
    const unclaimed = await h.locks.acquire(marketLockResource("SOL-USD"), { ttlMs: 60_000 });
    const error = await rpcError(
      h.ledger.settle({ market: "SOL-USD", fencingToken: unclaimed.fencingToken, trades: [trade()] }),
    );
    expect(error.code).toBe(Code.FailedPrecondition);
    await unclaimed.release();

    const next = await claimMarket(h.locks, store(), "SOL-USD", { ttlMs: 60_000 });
    const ok = await h.ledger.settle({
      market: "SOL-USD",
      fencingToken: next.fencingToken,
      trades: [trade()],
    });
    expect(ok.results.map((r) => r.newlySettled)).toEqual([true]);
    expect(await balanceOf(seller.userId, "SOL")).toEqual([0n, 900000000n]);
    await next.release();
  });

  it("leaves a ledger that passes the audit", async () => {
    expect((await auditLedger(store())).discrepancies).toEqual([]);
  });
});
