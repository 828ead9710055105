import {
  failedPrecondition,
  invalidArgument,
  type Logger,
  notFound,
  resourceExhausted,
  unavailable,
} from "@bourse/common";
import type { Store } from "@bourse/common/storage";
import type { Balance, LedgerStamp } from "@bourse/ledger";
import { OPEN_STATES, type OrderRecord } from "@bourse/trading";
import { Code, ConnectError } from "@connectrpc/connect";
import type { MarketBook } from "../domain/market-book.js";
import type { CommandOutcome } from "../domain/outcome.js";
import { readOrders } from "../store/book-reads.js";
import { writeOutcomes } from "../store/settlement-writer.js";
import type { CommandResult, MatchingCommand } from "./commands.js";
import { HandedOverOrders } from "./handed-over-orders.js";
import type { MarketListener } from "./market-listener.js";
import type { MatchingMetrics } from "./matching-metrics.js";

export interface MarketRunnerOptions {
  readonly market: string;
  readonly book: MarketBook;
  readonly store: Store;
  readonly fencingToken: bigint;
  readonly stamp: () => LedgerStamp;
  readonly now: () => Date;
  readonly metrics: MatchingMetrics;
  readonly logger: Logger;
  readonly maxBatchCommands: number;
  readonly maxQueue: number;
  /** Most items per settlement transaction (tests make it small to force cuts). */
  readonly maxTransactionItems?: number;
  /** Told of the book it starts on, of every committed outcome, and of its stop. */
  readonly listeners?: readonly MarketListener[];
  /** The batch could not be written; the runner has stopped. */
  readonly onFailure: (error: unknown) => void;
}

interface Queued {
  readonly command: MatchingCommand;
  /** Absent for the runner's own work (recovery and the sweeper resubmitting pending orders). */
  readonly resolve?: (result: CommandResult) => void;
  readonly reject?: (error: unknown) => void;
}

/** What executing a command left to answer, once `after` outcomes of its batch have committed. */
interface Answer {
  readonly queued: Queued;
  readonly after: number;
  readonly result?: CommandResult;
  readonly error?: unknown;
}

const hasEffects = (outcome: CommandOutcome) =>
  outcome.steps.length > 0 || outcome.closing.orders.length > 0 || outcome.closing.releases.length > 0;

/**
 * One market's single queue: commands run one at a time on the market's book, and every command queued
 * while a batch was being written runs in the next batch, whose outcomes are then written together
 * (group commit). A caller is answered only once its command's outcome has committed.
 */
export class MarketRunner {
  private readonly queue: Queued[] = [];
  private inFlight: Queued[] = [];
  private draining = false;
  private stoppedBecause: string | undefined;
  private readonly handedOver: HandedOverOrders;

  constructor(private readonly options: MarketRunnerOptions) {
    this.handedOver = new HandedOverOrders(options.now());
    this.tell((listener) => listener.started(options.market, options.book, options.fencingToken));
  }

  get book(): MarketBook {
    return this.options.book;
  }

  get stopped(): boolean {
    return this.stoppedBecause !== undefined;
  }

  get queued(): number {
    return this.queue.length;
  }

  run(command: MatchingCommand): Promise<CommandResult> {
    if (this.stoppedBecause !== undefined) return Promise.reject(unavailable(this.stoppedBecause));
    if (this.queue.length >= this.options.maxQueue) {
      return Promise.reject(resourceExhausted(`the queue of ${this.options.market} is full; retry`));
    }
    return new Promise((resolve, reject) => {
      this.queue.push({ command, resolve, reject });
      this.drain();
    });
  }

  /** Submits orders nobody is waiting for (recovery, the sweeper), ahead of queued callers if `first`. */
  resubmit(orderIds: readonly string[], first = false): void {
    if (this.stoppedBecause !== undefined || orderIds.length === 0) return;
    const work = orderIds.map((orderId): Queued => ({ command: { kind: "submit", orderId } }));
    if (first) this.queue.unshift(...work);
    else this.queue.push(...work);
    this.drain();
  }

  /** Stops at once: every queued and in-flight caller gets `unavailable`. Safe to call twice. */
  stop(reason: string): void {
    if (this.stoppedBecause !== undefined) return;
    this.stoppedBecause = reason;
    const waiting = [...this.inFlight, ...this.queue.splice(0)];
    this.inFlight = [];
    for (const queued of waiting) queued.reject?.(unavailable(reason));
    this.tell((listener) => listener.stopped(this.options.market));
  }

  /**
   * Starts the drain after the callbacks of this turn of the event loop, so that commands arriving together
   * (the orders a placement batch committed, requests read from the same sockets) share one batch and its
   * transactions, rather than the first taking a batch and a transaction of its own.
   */
  private drain(): void {
    if (this.draining) return;
    this.draining = true;
    setImmediate(() => {
      void this.drainLoop().finally(() => {
        this.draining = false;
      });
    });
  }

  private async drainLoop(): Promise<void> {
    while (this.stoppedBecause === undefined && this.queue.length > 0) {
      const batch = this.queue.splice(0, this.options.maxBatchCommands);
      this.inFlight = batch;
      await this.runBatch(batch);
      this.inFlight = [];
    }
  }

  private async runBatch(batch: readonly Queued[]): Promise<void> {
    let known: Map<string, OrderRecord>;
    try {
      known = await this.readUnbookedOrders(batch);
    } catch (error) {
      this.options.logger.warn({ err: error, market: this.options.market }, "matching: order reads failed");
      for (const queued of batch) queued.reject?.(unavailable("the order store is unavailable; retry"));
      return;
    }

    const outcomes: CommandOutcome[] = [];
    const answers: Answer[] = [];
    try {
      for (const queued of batch) answers.push(this.execute(queued, known, outcomes));
    } catch (error) {
      this.fail(error);
      return;
    }

    const answerUpTo = (committed: number) => {
      while (answers.length > 0 && (answers[0] as Answer).after <= committed) {
        const answer = answers.shift() as Answer;
        if (answer.result) answer.queued.resolve?.(answer.result);
        else answer.queued.reject?.(answer.error);
      }
    };
    answerUpTo(0);
    if (outcomes.length === 0) return;

    const started = process.hrtime.bigint();
    const tellListeners = this.committedTeller(outcomes);
    try {
      await writeOutcomes(
        {
          store: this.options.store,
          market: this.options.market,
          fencingToken: this.options.fencingToken,
          stamp: this.options.stamp,
          maxItems: this.options.maxTransactionItems,
          onCommitted: (commandsDone, items, balances) => {
            this.options.metrics.settlementTransactionItems.observe(items);
            answerUpTo(commandsDone);
            tellListeners(commandsDone, balances);
          },
        },
        outcomes,
      );
    } catch (error) {
      this.fail(error);
      return;
    }
    const { metrics, market } = this.options;
    metrics.settlementSeconds.observe(Number(process.hrtime.bigint() - started) / 1e9);
    metrics.settlementBatchCommands.observe(outcomes.length);
    for (const outcome of outcomes) {
      if (outcome.steps.length > 0) metrics.trades.inc({ market }, outcome.steps.length);
    }
  }

  /**
   * Tells the listeners, after each transaction of a batch, the outcomes it completed, with the latest state
   * of every balance the batch wrote so far (an outcome cut over transactions touched balances in each).
   */
  private committedTeller(
    outcomes: readonly CommandOutcome[],
  ): (commandsDone: number, balances: readonly Balance[]) => void {
    const latest = new Map<string, Balance>();
    let told = 0;
    return (commandsDone, balances) => {
      if ((this.options.listeners ?? []).length === 0) return;
      for (const balance of balances) latest.set(`${balance.accountId}\u0000${balance.asset}`, balance);
      if (commandsDone <= told) return;
      const batch = {
        market: this.options.market,
        outcomes: outcomes.slice(told, commandsDone),
        balances: [...latest.values()],
      };
      told = commandsDone;
      this.tell((listener) => listener.committed(batch));
    };
  }

  /** A listener's fault is logged, never let into matching: what it publishes is not what settles. */
  private tell(call: (listener: MarketListener) => void): void {
    for (const listener of this.options.listeners ?? []) {
      try {
        call(listener);
      } catch (error) {
        this.options.logger.error({ err: error, market: this.options.market }, "matching: a listener failed");
      }
    }
  }

  private fail(error: unknown): void {
    this.stop(`the book of ${this.options.market} is being recovered; retry`);
    this.options.onFailure(error);
  }

  /**
   * The stored state of every order a command of the batch names that is not in the book: as handed over
   * in-process when that is surely still the stored state, else read.
   */
  private async readUnbookedOrders(batch: readonly Queued[]): Promise<Map<string, OrderRecord>> {
    const { book, store } = this.options;
    const now = this.options.now();
    const known = new Map<string, OrderRecord>();
    for (const { command } of batch) {
      const stored = command.kind === "submit" ? command.stored : undefined;
      if (stored && !book.has(stored.orderId) && this.handedOver.trusts(stored, now)) {
        known.set(stored.orderId, stored);
      }
    }
    const ids = new Set(
      batch
        .map((queued) => queued.command.orderId)
        .filter((orderId) => !book.has(orderId) && !known.has(orderId)),
    );
    for (const record of await readOrders(store, [...ids])) known.set(record.orderId, record);
    return known;
  }

  /**
   * Runs one command on the book. Client mistakes become the answer's error; anything else the book
   * throws propagates, since the book may be half changed.
   */
  private execute(queued: Queued, known: Map<string, OrderRecord>, outcomes: CommandOutcome[]): Answer {
    try {
      const result = this.executeCommand(queued.command, known, outcomes);
      return { queued, after: outcomes.length, result };
    } catch (error) {
      if (!(error instanceof ConnectError) || error.code === Code.Internal) throw error;
      return { queued, after: outcomes.length, error };
    }
  }

  private executeCommand(
    command: MatchingCommand,
    known: Map<string, OrderRecord>,
    outcomes: CommandOutcome[],
  ): CommandResult {
    const { book, market } = this.options;
    const replay = (order: OrderRecord): CommandResult => ({
      report: { kind: "order", order, trades: [] },
      seq: book.seq,
      steps: [],
      replayed: true,
    });
    let order = book.order(command.orderId) ?? known.get(command.orderId);
    if (order === undefined || order.market !== market) {
      throw notFound(`no order ${command.orderId} in ${market}`);
    }
    if (command.accountId !== undefined && command.accountId !== order.accountId) {
      throw command.kind === "submit"
        ? invalidArgument(`order ${command.orderId} belongs to another account`)
        : notFound(`no order ${command.orderId} in ${market}`);
    }
    if (!book.has(order.orderId) && awaitsMatching(order)) {
      // Cancels and amends of an order accepted but not yet matched run after its submission.
      this.handedOver.submitting(order);
      const submitted = this.apply(book.submit(order, this.options.now()), known, outcomes, true);
      if (command.kind === "submit") return submitted;
      order = submitted.report.order;
    } else if (command.kind === "submit") {
      return replay(order);
    }
    if (!book.has(order.orderId)) {
      if (command.kind === "cancel" && order.status === "CANCELED") return replay(order);
      throw failedPrecondition(`order ${order.orderId} is ${order.status}`);
    }
    const now = this.options.now();
    const outcome =
      command.kind === "cancel"
        ? book.cancel(order.orderId, command.accountId, now)
        : book.amend(order.orderId, command.accountId, command.change, now);
    return this.apply(outcome, known, outcomes, false);
  }

  /** Keeps an outcome to write and the order states it leaves, and turns its report into the answer. */
  private apply(
    outcome: CommandOutcome,
    known: Map<string, OrderRecord>,
    outcomes: CommandOutcome[],
    submitted: boolean,
  ): CommandResult {
    if (hasEffects(outcome)) outcomes.push(outcome);
    for (const step of outcome.steps) {
      known.set(step.makerAfter.orderId, step.makerAfter);
      known.set(step.takerAfter.orderId, step.takerAfter);
    }
    for (const order of outcome.closing.orders) known.set(order.orderId, order);
    const { report } = outcome;
    if (report.kind === "unknown_order") throw notFound("no such open order in this market");
    if (report.kind === "refused") throw new ConnectError(report.message, codeOf(report.code));
    if (submitted)
      this.options.metrics.orders.inc({ market: this.options.market, status: report.order.status });
    return { report, seq: outcome.seq, steps: outcome.steps, replayed: false };
  }
}

/** Accepted and funded, not yet in the book: never submitted, or a taker whose sweep was cut by a crash. */
const awaitsMatching = (order: OrderRecord) => OPEN_STATES.has(order.status) && order.bookSeq === undefined;

const codeOf = (code: "failed_precondition" | "invalid_argument"): Code =>
  code === "failed_precondition" ? Code.FailedPrecondition : Code.InvalidArgument;
