import {
  isWriteConflict,
  MAX_TRANSACT_ITEMS,
  type Store,
  type TransactItem,
  TransactionCanceledError,
} from "@bourse/common/storage";
import {
  type Balance,
  LedgerBatchDraft,
  type LedgerBatchState,
  type LedgerOp,
  type LedgerStamp,
  marketFenceItem,
  planLedgerBatch,
  readLedgerBatchState,
} from "@bourse/ledger";
import type { CommandOutcome } from "../domain/outcome.js";
import { FenceLostError, SettlementRefusedError } from "./settlement-errors.js";
import {
  ledgerOpsOf,
  MatchingItemCount,
  matchingItemsOf,
  type SettlementUnit,
  unitsOf,
} from "./settlement-units.js";

/**
 * Units whose ledger state is read at once. A fill costs the ledger at least five items, so no
 * transaction of 100 items ever reaches past this many units of a window.
 */
const WINDOW_UNITS = 128;
/** Re-plans of one transaction after concurrent balance changes (holds placed by orders) beat it. */
const MAX_CONFLICT_ROUNDS = 50;

export interface SettlementWriterOptions {
  readonly store: Store;
  readonly market: string;
  readonly fencingToken: bigint;
  readonly stamp: () => LedgerStamp;
  /** Most items in one transaction; DynamoDB's limit unless a test wants smaller cuts. */
  readonly maxItems?: number;
  /**
   * Called after each committed transaction with how many commands are now fully written, and the state it
   * left each balance it wrote in.
   */
  readonly onCommitted?: (
    commandsDone: number,
    transactionItems: number,
    balances: readonly Balance[],
  ) => void;
}

interface PlannedTransaction {
  readonly items: TransactItem[];
  readonly balances: readonly Balance[];
  readonly ledgerItems: number;
  readonly units: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Writes a batch of command outcomes, in order, as few transactions as fit: the ledger's items
 * (planLedgerBatch), the orders, the trade records, the BOOK sequence and the market's fence check.
 * Throws `FenceLostError` when the fence refuses a transaction (another replica owns the market),
 * `SettlementRefusedError` when the ledger refuses an operation (the engine and the ledger disagree),
 * and the store's error for anything else; what committed before the error stays committed.
 */
export async function writeOutcomes(
  options: SettlementWriterOptions,
  outcomes: readonly CommandOutcome[],
): Promise<void> {
  const units = unitsOf(outcomes);
  let done = 0;
  while (done < units.length) {
    const window = units.slice(done, done + WINDOW_UNITS);
    const written = await commitPrefix(options, outcomes, window);
    done += written.units;
    const next = units[done];
    options.onCommitted?.(
      next === undefined ? outcomes.length : next.command,
      written.items,
      written.balances,
    );
  }
}

/**
 * Commits the longest prefix of `window` that fits one transaction; returns how many units and items it
 * held, and the balances it wrote.
 */
async function commitPrefix(
  options: SettlementWriterOptions,
  outcomes: readonly CommandOutcome[],
  window: readonly SettlementUnit[],
): Promise<{ readonly units: number; readonly items: number; readonly balances: readonly Balance[] }> {
  for (let round = 1; ; round++) {
    const state = await readLedgerBatchState(options.store, ledgerOpsOf(outcomes, window), {
      isNew: round === 1 ? isNewSettlementOp : undefined,
    });
    const transaction = planPrefix(options, outcomes, window, state);
    try {
      await options.store.transactWrite(transaction.items);
      return { units: transaction.units, items: transaction.items.length, balances: transaction.balances };
    } catch (error) {
      const fenceIndex = transaction.items.length - 1;
      if (
        error instanceof TransactionCanceledError &&
        error.reasons[fenceIndex] === "ConditionalCheckFailed"
      ) {
        throw new FenceLostError(options.market, { cause: error });
      }
      if (!isBalanceRace(error, transaction.ledgerItems) || round >= MAX_CONFLICT_ROUNDS) throw error;
      await sleep(Math.random() * Math.min(200, 2 ** round));
    }
  }
}

/**
 * A first attempt does not read the records its trades and releases create, since none can exist yet:
 * - a trade's settlement record: its id is a sequence number this runner's book issued after the BOOK
 *   sequence it was rebuilt from, and every transaction writing trades also writes a BOOK sequence
 *   covering their ids, so no trade id is issued twice, even across crashes;
 * - an order's release (`<orderId>:close`): it is written in the same transaction as the order's closed
 *   state, and the book only closes orders whose stored state is open.
 * Both records are put only if absent, so were one there after all, the transaction would be canceled
 * and the next round reads everything.
 */
const isNewSettlementOp = (op: LedgerOp): boolean => op.kind === "trade" || op.kind === "release";

/**
 * A race with a concurrent ledger change: the transaction was canceled by a concurrent transaction, or
 * only the ledger's items (balance versions, markers) failed their conditions. Read again and plan again.
 */
function isBalanceRace(error: unknown, ledgerItems: number): boolean {
  if (!(error instanceof TransactionCanceledError) || !isWriteConflict(error)) return false;
  return error.reasons.every((reason, index) => reason !== "ConditionalCheckFailed" || index < ledgerItems);
}

function planUnits(
  options: SettlementWriterOptions,
  outcomes: readonly CommandOutcome[],
  units: readonly SettlementUnit[],
  state: LedgerBatchState,
  stamp: LedgerStamp,
): PlannedTransaction {
  const plan = planLedgerBatch(ledgerOpsOf(outcomes, units), state, stamp);
  const refused = plan.outcomes.find((outcome) => !outcome.ok);
  if (refused && !refused.ok) throw new SettlementRefusedError(options.market, refused.error);
  const items = [
    ...plan.items,
    ...matchingItemsOf(options.market, outcomes, units),
    marketFenceItem(options.market, options.fencingToken),
  ];
  return { items, balances: plan.balances, ledgerItems: plan.items.length, units: units.length };
}

/** The plan of the longest prefix of `window` within the item limit (at least one unit). */
function planPrefix(
  options: SettlementWriterOptions,
  outcomes: readonly CommandOutcome[],
  window: readonly SettlementUnit[],
  state: LedgerBatchState,
): PlannedTransaction {
  const maxItems = options.maxItems ?? MAX_TRANSACT_ITEMS;
  const stamp = options.stamp();
  const units = fittingUnits(options, outcomes, window, state, stamp.at, maxItems);
  const planned = planUnits(options, outcomes, window.slice(0, units), state, stamp);
  if (planned.items.length > maxItems) {
    throw new Error(`the settlement of ${options.market} counted its items wrong: ${planned.items.length}`);
  }
  return planned;
}

/**
 * How many units of `window`, from the first, fit one transaction: counted unit by unit on a draft of the
 * ledger batch, instead of planning every prefix, so that only the prefix that is written is planned.
 */
function fittingUnits(
  options: SettlementWriterOptions,
  outcomes: readonly CommandOutcome[],
  window: readonly SettlementUnit[],
  state: LedgerBatchState,
  at: Date,
  maxItems: number,
): number {
  const ledger = new LedgerBatchDraft(state, at);
  const matching = new MatchingItemCount();
  for (const [index, unit] of window.entries()) {
    for (const op of ledgerOpsOf(outcomes, [unit])) {
      const refusal = ledger.add(op);
      if (refusal) throw new SettlementRefusedError(options.market, refusal);
    }
    matching.add(outcomes, unit);
    const fence = 1;
    if (ledger.itemCount + matching.count + fence > maxItems) {
      if (index === 0) {
        throw new RangeError(`one fill of ${options.market} needs more than ${maxItems} transaction items`);
      }
      return index;
    }
  }
  return window.length;
}
