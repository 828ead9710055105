import { createServiceClient } from "@bourse/common";
import { describeWithStores, rpcError } from "@bourse/common/testing";
import { auditLedger, listFundingEntries, readLedgerEntry } from "@bourse/ledger";
import { InventoryService } from "@bourse/proto/bourse/inventory/v1/inventory_service_pb";
import { Code } from "@connectrpc/connect";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startUsers, type TestUser, type UsersHarness } from "../testing/users-harness.js";

let keys = 0;
const key = () => `key-${++keys}`;

describeWithStores("BalanceService", (store) => {
  let h: UsersHarness;
  beforeAll(async () => {
    h = await startUsers(store());
  });
  afterAll(() => h?.stop());

  const deposit = (user: TestUser, asset: string, amount: string, idempotencyKey = key()) =>
    h.balances.deposit({ asset, amount, idempotencyKey }, { headers: user.headers });
  const withdraw = (user: TestUser, asset: string, amount: string, idempotencyKey = key()) =>
    h.balances.withdraw({ asset, amount, idempotencyKey }, { headers: user.headers });
  /** Everything a user can see of their money, to show that a refused call changed nothing. */
  const state = async (user: TestUser) => ({
    balances: (await h.balances.getBalances({}, { headers: user.headers })).balances,
    entries: (await h.balances.listLedgerEntries({ pageSize: 100 }, { headers: user.headers })).entries,
  });

  it("deposits and withdraws at the asset's precision, each with one ledger entry", async () => {
    const user = await h.signUp();
    const first = await deposit(user, "USDT", "100.5");
    expect(first.entry).toMatchObject({
      asset: "USDT",
      amount: "100.5",
      availableAfter: "100.5",
      heldAfter: "0",
    });
    expect(first.balance).toMatchObject({ asset: "USDT", available: "100.5", held: "0" });
    const out = await withdraw(user, "USDT", "0.500000");
    expect(out.entry).toMatchObject({ amount: "-0.5", availableDelta: "-0.5", availableAfter: "100" });
    await deposit(user, "BTC", "0.00000001");
    const { balances } = await h.balances.getBalances({}, { headers: user.headers });
    expect(balances.map((b) => [b.asset, b.available, b.held])).toEqual([
      ["BTC", "0.00000001", "0"],
      ["USDT", "100", "0"],
    ]);
    const only = await h.balances.getBalances({ assets: ["BTC", "DOGE"] }, { headers: user.headers });
    expect(only.balances.map((b) => b.asset)).toEqual(["BTC"]);
  });

  it("records on each deposit entry the asset's reference USD price of that moment", async () => {
    const user = await h.signUp();
    const inventory = createServiceClient(InventoryService, { baseUrl: h.inventory.rpcUrl, caller: "test" });
    const priceNow = async () => (await inventory.getPrices({ assets: ["BTC"] })).prices[0]?.price;
    const before = await priceNow();
    const btc = await deposit(user, "BTC", "0.5");
    const after = await priceNow();
    const usd = await deposit(user, "USD", "100");
    const stored = async (entryId = "") => (await readLedgerEntry(store(), user.userId, entryId))?.usdPrice;
    // The simulated reference price may take a step between the reads.
    expect([before, after]).toContain(await stored(btc.entry?.id));
    expect(await stored(usd.entry?.id)).toBe("1");
    expect((await listFundingEntries(store(), user.userId)).map((entry) => entry.asset)).toEqual([
      "BTC",
      "USD",
    ]);
  });

  it("returns the first result for a repeated idempotency_key and moves money once", async () => {
    const user = await h.signUp();
    const first = await deposit(user, "ETH", "1.25", "fund-1");
    const again = await deposit(user, "ETH", "1.250", "fund-1");
    expect(again.entry?.id).toBe(first.entry?.id);
    expect(again.balance).toEqual(first.balance);
    const other = await rpcError(deposit(user, "ETH", "2", "fund-1"));
    expect(other.code).toBe(Code.AlreadyExists);
    expect((await rpcError(withdraw(user, "ETH", "1.25", "fund-1"))).code).toBe(Code.AlreadyExists);
    const out = await withdraw(user, "ETH", "0.25", "out-1");
    expect((await withdraw(user, "ETH", "0.25", "out-1")).entry?.id).toBe(out.entry?.id);
    const { balances, entries } = await state(user);
    expect(balances.map((b) => b.available)).toEqual(["1"]);
    expect(entries).toHaveLength(2);
  });

  it("never overdraws under 50 concurrent withdrawals", async () => {
    const user = await h.signUp();
    await deposit(user, "BTC", "0.2");
    const results = await Promise.allSettled(Array.from({ length: 50 }, () => withdraw(user, "BTC", "0.01")));
    const failures = results.flatMap((r) =>
      r.status === "rejected" ? [(r.reason as { code: Code }).code] : [],
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(20);
    expect(new Set(failures)).toEqual(new Set([Code.FailedPrecondition]));
    const { balances, entries } = await state(user);
    expect(balances.map((b) => [b.available, b.held])).toEqual([["0", "0"]]);
    expect(entries).toHaveLength(21);
  });

  it("refuses bad input with invalid_argument and changes nothing", async () => {
    const user = await h.signUp();
    await deposit(user, "USDT", "10");
    const before = await state(user);
    const bad: Array<[string, string, string, string]> = [
      ["empty asset", "", "1", key()],
      ["lower-case asset", "usdt", "1", key()],
      ["unknown asset", "NOPE", "1", key()],
      ["oversized asset", "A".repeat(16), "1", key()],
      ["negative amount", "USDT", "-1", key()],
      ["zero amount", "USDT", "0", key()],
      ["non-numeric amount", "USDT", "ten", key()],
      ["over-precise amount", "USDT", "1.0000001", key()],
      ["exponent amount", "USDT", "1e2", key()],
      ["empty amount", "USDT", "", key()],
      ["oversized amount", "USDT", "9".repeat(70), key()],
      ["empty idempotency key", "USDT", "1", ""],
      ["spaced idempotency key", "USDT", "1", "a b"],
      ["oversized idempotency key", "USDT", "1", "k".repeat(65)],
    ];
    for (const [label, asset, amount, idempotencyKey] of bad) {
      for (const call of [deposit, withdraw]) {
        const error = await rpcError(call(user, asset, amount, idempotencyKey));
        expect([label, error.code]).toEqual([label, Code.InvalidArgument]);
      }
    }
    const listing = [{ pageSize: 0 }, { pageSize: 101 }, { pageToken: "garbage" }, { asset: "usdt" }];
    for (const request of listing) {
      const error = await rpcError(h.balances.listLedgerEntries(request, { headers: user.headers }));
      expect([request, error.code]).toEqual([request, Code.InvalidArgument]);
    }
    const tooMany = Array.from({ length: 101 }, (_, i) => `A${i}`);
    expect(
      (await rpcError(h.balances.getBalances({ assets: tooMany }, { headers: user.headers }))).code,
    ).toBe(Code.InvalidArgument);
    expect(await state(user)).toEqual(before);
  });

  it("lists ledger entries newest first, page by page, with page tokens bound to the asset filter", async () => {
    const user = await h.signUp();
    for (const amount of ["1", "2", "3", "4", "5"]) await deposit(user, "USDT", amount);
    await deposit(user, "BTC", "0.1");
    await withdraw(user, "BTC", "0.05");
    const seen: string[] = [];
    let pageToken = "";
    do {
      const page = await h.balances.listLedgerEntries({ pageSize: 3, pageToken }, { headers: user.headers });
      seen.push(...page.entries.map((entry) => `${entry.asset}:${entry.amount}`));
      pageToken = page.nextPageToken;
      if (pageToken) {
        const mismatch = await rpcError(
          h.balances.listLedgerEntries({ asset: "BTC", pageToken }, { headers: user.headers }),
        );
        expect(mismatch.code).toBe(Code.InvalidArgument);
      }
    } while (pageToken);
    expect(seen).toEqual(["BTC:-0.05", "BTC:0.1", "USDT:5", "USDT:4", "USDT:3", "USDT:2", "USDT:1"]);
    const btc = await h.balances.listLedgerEntries({ asset: "BTC", pageSize: 1 }, { headers: user.headers });
    expect(btc.entries.map((entry) => entry.amount)).toEqual(["-0.05"]);
    const rest = await h.balances.listLedgerEntries(
      { asset: "BTC", pageSize: 1, pageToken: btc.nextPageToken },
      { headers: user.headers },
    );
    expect(rest.entries.map((entry) => entry.amount)).toEqual(["0.1"]);
    expect(rest.nextPageToken).toBe("");
  });

  it("needs an access token and shows only the caller's own money", async () => {
    const [alice, bob] = [await h.signUp(), await h.signUp()];
    await deposit(alice, "ETH", "3");
    expect((await rpcError(h.balances.getBalances({}))).code).toBe(Code.Unauthenticated);
    expect((await h.balances.getBalances({}, { headers: bob.headers })).balances).toEqual([]);
    expect((await rpcError(withdraw(bob, "ETH", "1"))).code).toBe(Code.FailedPrecondition);
  });

  it("refuses funding with failed_precondition when simulated funding is off", async () => {
    const off = await startUsers(store(), { env: { SIMULATED_FUNDING: "false" } });
    try {
      const user = await off.signUp();
      const call = off.balances.deposit(
        { asset: "USD", amount: "1", idempotencyKey: "k" },
        { headers: user.headers },
      );
      expect((await rpcError(call)).code).toBe(Code.FailedPrecondition);
    } finally {
      await off.stop();
    }
  });

  it("leaves a ledger that passes the audit", async () => {
    const report = await auditLedger(store());
    expect(report.discrepancies).toEqual([]);
    expect(report.assets.map((asset) => asset.asset)).toEqual(["BTC", "ETH", "USD", "USDT"]);
  });
});
