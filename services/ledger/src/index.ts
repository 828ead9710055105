export { type AssetAudit, type AuditReport, auditLedger } from "./audit.js";
export { formatAuditReport } from "./audit-report.js";
export { type BalanceMutation, emptyBalance, type Movement, mutateBalance } from "./balance-mutation.js";
export {
  LedgerBatchDraft,
  type LedgerBatchPlan,
  type LedgerOpOutcome,
  planLedgerBatch,
} from "./batch-plan.js";
export {
  type LedgerBatchReadOptions,
  type LedgerBatchState,
  type LedgerOp,
  readLedgerBatchState,
} from "./batch-state.js";
export { MAX_ASSET_SCALE, MAX_BALANCE_WHOLE_UNITS, MAX_FUNDING_WHOLE_UNITS } from "./checks.js";
export {
  type ClaimOptions,
  claimMarket,
  marketFenceItem,
  marketLockResource,
  readMarketFence,
} from "./fence.js";
export type { ReleaseRecord } from "./holds.js";
export {
  accountPartition,
  BALANCE_INDEX_SHARDS,
  balanceKey,
  EXCHANGE_ACCOUNT_PREFIX,
  feeAccountId,
  holdKey,
  marketSequenceKey,
  tradeSettlementKey,
} from "./keys.js";
export {
  type BalanceSnapshot,
  type ChangeOutcome,
  createLedger,
  type FundingInput,
  type HoldInput,
  type Ledger,
  type LedgerOptions,
  type ReleaseInput,
  type ReleaseOutcome,
  type SettleInput,
  type SettleOutcome,
} from "./ledger.js";
export { LedgerError, type LedgerErrorReason } from "./ledger-error.js";
export { defaultRetryPolicy, type RetryPolicy } from "./optimistic.js";
export {
  type LedgerEntryQuery,
  listBalances,
  listFundingEntries,
  listLedgerEntries,
  readBalance,
  readLedgerEntry,
} from "./reads.js";
export {
  parseMarket,
  type SettlementParty,
  type SettlementPlan,
  type TradeToSettle,
  touchedBalances,
} from "./settlement.js";
export { type SettledParty, type SettledTrade, settledTradeFromItem } from "./settlement-record.js";
export { createStampFactory, type LedgerStamp, type StampFactory } from "./stamp.js";
export {
  type Balance,
  balanceAfter,
  entryAmount,
  type Hold,
  type LedgerEntry,
  type LedgerEntryKind,
} from "./types.js";
