import type { Store } from "@bourse/common/storage";
import { describeWithStores } from "@bourse/common/testing";
import { describe, expect, it } from "vitest";
import { emptyBalance, mutateBalance } from "./balance-mutation.js";
import {
  checkBalanceLimit,
  checkFundingAmount,
  MAX_BALANCE_WHOLE_UNITS,
  MAX_FUNDING_WHOLE_UNITS,
  MAX_STORED_UNITS,
} from "./checks.js";
import { createLedger } from "./ledger.js";
import { LedgerError, type LedgerErrorReason } from "./ledger-error.js";
import { listLedgerEntries, readBalance } from "./reads.js";
import { createStampFactory } from "./stamp.js";
import { refusal } from "./testing/refusal.js";

const stamp = createStampFactory();
const USD_SCALE = 8;
const unit = 10n ** BigInt(USD_SCALE);

function reasonOf(run: () => unknown): LedgerErrorReason | undefined {
  try {
    run();
  } catch (error) {
    if (error instanceof LedgerError) return error.reason;
    throw error;
  }
  return undefined;
}

describe("amount limits", () => {
  it("allow a funding request up to the maximum in whole units, at every scale", () => {
    for (const scale of [0, 2, 8, 18]) {
      const max = MAX_FUNDING_WHOLE_UNITS * 10n ** BigInt(scale);
      expect(reasonOf(() => checkFundingAmount(max, scale))).toBeUndefined();
      expect(reasonOf(() => checkFundingAmount(max + 1n, scale))).toBe("invalid_argument");
    }
  });

  it("allow a balance up to the maximum in whole units", () => {
    const max = MAX_BALANCE_WHOLE_UNITS * unit;
    expect(reasonOf(() => checkBalanceLimit("USD", max, USD_SCALE))).toBeUndefined();
    expect(reasonOf(() => checkBalanceLimit("USD", max + 1n, USD_SCALE))).toBe("balance_limit");
  });

  it("fit the store with room to spare at the largest scale", () => {
    const fullBalance = MAX_BALANCE_WHOLE_UNITS * 10n ** 18n;
    expect(fullBalance * 99_999n).toBeLessThan(MAX_STORED_UNITS);
  });

  it("keep any credit, a trade's too, from making a balance the store cannot hold", () => {
    const before = { ...emptyBalance("a", "USD", USD_SCALE, new Date()), available: MAX_STORED_UNITS - 1n };
    const credit = (amount: bigint) => () =>
      mutateBalance(
        before,
        [{ kind: "trade", availableDelta: amount, heldDelta: 0n, reference: "t" }],
        stamp(),
      );
    expect(reasonOf(credit(1n))).toBeUndefined();
    expect(reasonOf(credit(2n))).toBe("balance_limit");
  });
});

/** Writes a balance as trades could have made it, beyond what deposits allow. */
async function seedBalance(store: Store, accountId: string, units: bigint): Promise<void> {
  const credit = { kind: "trade" as const, availableDelta: units, heldDelta: 0n, reference: "seed" };
  const plan = mutateBalance(emptyBalance(accountId, "USD", USD_SCALE, new Date()), [credit], stamp());
  await store.transactWrite(plan.items);
}

let unique = 0;

describeWithStores("ledger amounts", (store) => {
  const ledger = () => createLedger(store());
  const funding = (accountId: string, amount: string) => ({
    accountId,
    asset: "USD",
    scale: USD_SCALE,
    amount,
    idempotencyKey: `k-${++unique}`,
  });
  const state = async (accountId: string) => ({
    balance: await readBalance(store(), accountId, "USD"),
    entries: (await listLedgerEntries(store(), accountId, { limit: 10 })).length,
  });

  it("refuses a 62-digit deposit with invalid_argument, not a store fault", async () => {
    const a = `acct-${++unique}`;
    expect(await refusal(ledger().deposit(funding(a, "9".repeat(62))))).toBe("invalid_argument");
    expect(await state(a)).toEqual({ balance: undefined, entries: 0 });
  });

  it("refuses a deposit of 10^30 USD and allows exactly the per-request maximum", async () => {
    const a = `acct-${++unique}`;
    expect(await refusal(ledger().deposit(funding(a, `1${"0".repeat(30)}`)))).toBe("invalid_argument");
    const max = MAX_FUNDING_WHOLE_UNITS.toString();
    expect(await refusal(ledger().deposit(funding(a, `${max}.00000001`)))).toBe("invalid_argument");
    await ledger().deposit(funding(a, max));
    expect(await refusal(ledger().withdraw(funding(a, `${max}.00000001`)))).toBe("invalid_argument");
    expect((await state(a)).balance?.available).toBe(MAX_FUNDING_WHOLE_UNITS * unit);
  });

  it("refuses a deposit beyond the balance maximum with balance_limit, and still allows withdrawals", async () => {
    const a = `acct-${++unique}`;
    const max = MAX_BALANCE_WHOLE_UNITS * unit;
    await seedBalance(store(), a, max - 1n);
    await ledger().deposit(funding(a, "0.00000001"));
    const full = await state(a);
    expect(full.balance?.available).toBe(max);
    expect(await refusal(ledger().deposit(funding(a, "0.00000001")))).toBe("balance_limit");
    expect(await state(a)).toEqual(full);
    await ledger().withdraw(funding(a, "0.00000001"));
    expect((await state(a)).balance?.available).toBe(max - 1n);
  });

  it("moves a tiny amount on a huge balance exactly, or refuses it, never a store fault", async () => {
    const a = `acct-${++unique}`;
    const huge = 10n ** 37n;
    await seedBalance(store(), a, huge);
    expect(await refusal(ledger().deposit(funding(a, "0.00000001")))).toBe("balance_limit");
    const out = await ledger().withdraw(funding(a, "0.00000001"));
    expect(out.balance.available).toBe(huge - 1n);
    expect((await state(a)).balance?.available).toBe(huge - 1n);
  });
});
