import { formatDecimal, parseDecimal } from "@bourse/common/money";
import type { Store } from "@bourse/common/storage";
import { describeWithStores, rpcError } from "@bourse/common/testing";
import {
  createStampFactory,
  emptyBalance,
  MAX_BALANCE_WHOLE_UNITS,
  MAX_FUNDING_WHOLE_UNITS,
  mutateBalance,
} from "@bourse/ledger";
import { Code, ConnectError } from "@connectrpc/connect";
import fc from "fast-check";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startUsers, type TestUser, type UsersHarness } from "../testing/users-harness.js";

/** The seeded catalogue's precision of the assets used here. */
const scales: Record<string, number> = { USD: 8, BTC: 8, USDT: 6 };
const clientCodes = [
  Code.InvalidArgument,
  Code.FailedPrecondition,
  Code.ResourceExhausted,
  Code.NotFound,
  Code.AlreadyExists,
];
const stamp = createStampFactory();

/** Writes a balance as trades could have made it, without going through Deposit. */
async function seedBalance(store: Store, accountId: string, asset: string, units: bigint): Promise<void> {
  const scale = scales[asset] ?? 0;
  const credit = { kind: "trade" as const, availableDelta: units, heldDelta: 0n, reference: "seed" };
  const plan = mutateBalance(emptyBalance(accountId, asset, scale, new Date()), [credit], stamp());
  await store.transactWrite(plan.items);
}

const digits = (maxLength: number) => fc.string({ unit: fc.constantFrom(..."0123456789"), maxLength });

/** Anything a client could send as an amount, weighted towards what is nearly a decimal. */
const amountText = fc.oneof(
  fc.string({ unit: "binary", maxLength: 80 }),
  fc.string({ unit: fc.constantFrom(..."0123456789.-+eE \u0661\uff11"), maxLength: 40 }),
  fc
    .tuple(fc.constantFrom("", "-", "+"), digits(70), fc.constantFrom("", "."), digits(25))
    .map(([sign, integer, point, fraction]) => `${sign}${integer}${point}${fraction}`),
  fc
    .tuple(fc.bigInt({ min: 0n, max: 2n * 10n ** 21n }), fc.integer({ min: 0, max: 10 }))
    .map(([units, decimals]) => formatDecimal(units, decimals)),
);

let keys = 0;

describeWithStores("Deposit and Withdraw amounts", (store) => {
  let h: UsersHarness;
  let user: TestUser;
  beforeAll(async () => {
    h = await startUsers(store());
    user = await h.signUp();
  });
  afterAll(() => h?.stop());

  const call = (kind: "deposit" | "withdraw", asset: string, amount: string) =>
    h.balances[kind]({ asset, amount, idempotencyKey: `amount-${++keys}` }, { headers: user.headers });
  const available = async (asset: string): Promise<bigint> => {
    const { balances } = await h.balances.getBalances({ assets: [asset] }, { headers: user.headers });
    const text = balances[0]?.available;
    return text === undefined ? 0n : parseDecimal(text, scales[asset] ?? 0);
  };
  const newestEntry = async () =>
    (await h.balances.listLedgerEntries({ pageSize: 1 }, { headers: user.headers })).entries[0]?.id;

  it("refuses a 62-digit deposit and a 10^30 USD deposit with invalid_argument", async () => {
    for (const amount of ["9".repeat(62), `1${"0".repeat(30)}`]) {
      expect((await rpcError(call("deposit", "USD", amount))).code).toBe(Code.InvalidArgument);
    }
    const overMax = `${MAX_FUNDING_WHOLE_UNITS}.00000001`;
    expect((await rpcError(call("deposit", "USD", overMax))).code).toBe(Code.InvalidArgument);
  });

  it("moves a tiny amount on a balance at the maximum, or refuses it with failed_precondition", async () => {
    const owner = await h.signUp();
    const max = MAX_BALANCE_WHOLE_UNITS * 10n ** 8n;
    await seedBalance(store(), owner.userId, "USD", max);
    const tiny = (kind: "deposit" | "withdraw") =>
      h.balances[kind](
        { asset: "USD", amount: "0.00000001", idempotencyKey: `tiny-${++keys}` },
        { headers: owner.headers },
      );
    expect((await rpcError(tiny("deposit"))).code).toBe(Code.FailedPrecondition);
    expect((await tiny("withdraw")).balance?.available).toBe(formatDecimal(max - 1n, 8, { trimZeros: true }));
    expect((await tiny("deposit")).balance?.available).toBe(formatDecimal(max, 8, { trimZeros: true }));
  });

  it("either moves exactly the amount asked or refuses with a client error and changes nothing", async () => {
    const headroom = 5n * 10n ** 11n * 10n ** 8n;
    await seedBalance(store(), user.userId, "USD", MAX_BALANCE_WHOLE_UNITS * 10n ** 8n - headroom);
    await seedBalance(store(), user.userId, "BTC", 10n ** 8n);
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom("deposit" as const, "withdraw" as const),
        fc.constantFrom("USD", "BTC", "USDT"),
        amountText,
        async (kind, asset, amount) => {
          const before = { available: await available(asset), entry: await newestEntry() };
          let refused: Code | undefined;
          try {
            await call(kind, asset, amount);
          } catch (error) {
            refused = ConnectError.from(error).code;
          }
          const after = { available: await available(asset), entry: await newestEntry() };
          if (refused !== undefined) {
            expect(clientCodes, `${kind} ${JSON.stringify(amount)}: code ${Code[refused]}`).toContain(
              refused,
            );
            expect(after).toEqual(before);
            return;
          }
          const units = parseDecimal(amount, scales[asset] ?? 0);
          expect(after.available - before.available).toBe(kind === "deposit" ? units : -units);
        },
      ),
      { numRuns: 40 },
    );
  });
});
