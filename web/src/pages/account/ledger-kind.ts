import { LedgerEntryKind } from "@bourse/proto/bourse/users/v1/balance_pb";

const labels: Readonly<Record<LedgerEntryKind, string>> = {
  [LedgerEntryKind.UNSPECIFIED]: "Other",
  [LedgerEntryKind.DEPOSIT]: "Deposit",
  [LedgerEntryKind.WITHDRAWAL]: "Withdrawal",
  [LedgerEntryKind.HOLD]: "Hold for order",
  [LedgerEntryKind.RELEASE]: "Release from order",
  [LedgerEntryKind.TRADE]: "Trade",
  [LedgerEntryKind.FEE]: "Fee",
};

/** What a ledger entry's kind means, in words. */
export function ledgerKindLabel(kind: LedgerEntryKind): string {
  return labels[kind] ?? labels[LedgerEntryKind.UNSPECIFIED];
}
