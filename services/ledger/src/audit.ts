import { queryAll, type Store } from "@bourse/common/storage";
import { balanceFromItem, holdFromItem, ledgerEntryFromItem } from "./items.js";
import { accountPartition, BALANCE_INDEX_SHARDS, balanceIndexShard, ledgerEntryPrefix } from "./keys.js";
import type { Balance, Hold, LedgerEntry } from "./types.js";

/** One asset's totals over every account (users, the fee account and the market maker alike). */
export interface AssetAudit {
  readonly asset: string;
  readonly scale: number;
  readonly accounts: number;
  readonly available: bigint;
  readonly held: bigint;
  /** What open holds still reserve; equals `held` when DESIGN §3.2 holds. */
  readonly reserved: bigint;
  readonly deposited: bigint;
  /** A positive sum of the withdrawals. */
  readonly withdrawn: bigint;
}

export interface AuditReport {
  readonly accounts: number;
  readonly assets: readonly AssetAudit[];
  /** Human-readable findings; empty when the ledger balances. */
  readonly discrepancies: readonly string[];
  readonly ok: boolean;
}

/** Accounts read at once: quick on a big table without flooding it. */
const READ_CONCURRENCY = 16;

interface Account {
  readonly id: string;
  readonly balances: Balance[];
  readonly holds: Hold[];
  readonly entries: LedgerEntry[];
}

async function accountIds(store: Store): Promise<string[]> {
  const ids = new Set<string>();
  for (let shard = 0; shard < BALANCE_INDEX_SHARDS; shard++) {
    for (const item of await queryAll(store, { index: "GSI1", partition: balanceIndexShard(shard) })) {
      if (typeof item.accountId === "string") ids.add(item.accountId);
    }
  }
  return [...ids].sort();
}

async function readAccount(store: Store, id: string): Promise<Account> {
  const items = await queryAll(store, { partition: accountPartition(id) });
  return {
    id,
    balances: items.filter((item) => item.SK.startsWith("BAL#")).map(balanceFromItem),
    holds: items.filter((item) => item.SK.startsWith("HOLD#")).map(holdFromItem),
    entries: items.filter((item) => item.SK.startsWith(ledgerEntryPrefix)).map(ledgerEntryFromItem),
  };
}

const sum = (values: Iterable<bigint>): bigint => {
  let total = 0n;
  for (const value of values) total += value;
  return total;
};

/** Checks one account: no negative part, the ledger replays to the balance, holds match held. */
function auditAccount(account: Account, problems: string[]): void {
  const where = (asset: string) => `account ${account.id} ${asset}`;
  for (const balance of account.balances) {
    const { asset } = balance;
    if (balance.available < 0n || balance.held < 0n) problems.push(`${where(asset)}: negative balance`);
    const entries = account.entries.filter((entry) => entry.asset === asset);
    const replayed = [sum(entries.map((e) => e.availableDelta)), sum(entries.map((e) => e.heldDelta))];
    if (replayed[0] !== balance.available || replayed[1] !== balance.held) {
      problems.push(
        `${where(asset)}: ledger entries sum to ${replayed.join("/")}, balance is ${balance.available}/${balance.held}`,
      );
    }
    const holds = account.holds.filter((hold) => hold.asset === asset);
    const reserved = sum(holds.map((hold) => hold.remaining));
    if (reserved !== balance.held)
      problems.push(`${where(asset)}: held ${balance.held} but open holds reserve ${reserved}`);
  }
  for (const hold of account.holds) {
    if (hold.remaining < 0n || hold.remaining > hold.amount) {
      problems.push(
        `account ${account.id} hold ${hold.referenceId}: remaining ${hold.remaining} of ${hold.amount}`,
      );
    }
  }
  const assets = new Set(account.balances.map((balance) => balance.asset));
  for (const asset of new Set(account.entries.map((entry) => entry.asset))) {
    if (!assets.has(asset)) problems.push(`${where(asset)}: ledger entries without a balance`);
  }
}

/**
 * Audits the whole table against DESIGN §3.1 and §3.2: for every asset, available + held summed over
 * all accounts equals deposits minus withdrawals, no balance is negative, every balance equals the sum
 * of its ledger entries, and held equals what the account's open holds reserve. Reads every account
 * (found through the balance index) partition by partition; meant for a quiet system, since it is
 * not a point-in-time snapshot.
 */
export async function auditLedger(store: Store): Promise<AuditReport> {
  const ids = await accountIds(store);
  const accounts: Account[] = [];
  for (let i = 0; i < ids.length; i += READ_CONCURRENCY) {
    accounts.push(
      ...(await Promise.all(ids.slice(i, i + READ_CONCURRENCY).map((id) => readAccount(store, id)))),
    );
  }
  const problems: string[] = [];
  const totals = new Map<string, { -readonly [K in keyof AssetAudit]: AssetAudit[K] }>();
  for (const account of accounts) {
    auditAccount(account, problems);
    for (const balance of account.balances) {
      const total = totals.get(balance.asset) ?? {
        asset: balance.asset,
        scale: balance.scale,
        accounts: 0,
        available: 0n,
        held: 0n,
        reserved: 0n,
        deposited: 0n,
        withdrawn: 0n,
      };
      if (total.scale !== balance.scale)
        problems.push(`${balance.asset}: balances stored at different precisions`);
      total.accounts += 1;
      total.available += balance.available;
      total.held += balance.held;
      total.reserved += sum(account.holds.filter((h) => h.asset === balance.asset).map((h) => h.remaining));
      const entries = account.entries.filter((entry) => entry.asset === balance.asset);
      total.deposited += sum(entries.filter((e) => e.kind === "deposit").map((e) => e.availableDelta));
      total.withdrawn -= sum(entries.filter((e) => e.kind === "withdrawal").map((e) => e.availableDelta));
      totals.set(balance.asset, total);
    }
  }
  const assets = [...totals.values()].sort((a, b) => (a.asset < b.asset ? -1 : 1));
  for (const asset of assets) {
    const total = asset.available + asset.held;
    if (total !== asset.deposited - asset.withdrawn) {
      problems.push(
        `${asset.asset}: balances total ${total} but deposits minus withdrawals is ${asset.deposited - asset.withdrawn}`,
      );
    }
  }
  return { accounts: accounts.length, assets, discrepancies: problems, ok: problems.length === 0 };
}
