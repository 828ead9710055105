import { type Logger, unavailable } from "@bourse/common";
import { type Lease, LockError, type LockService } from "@bourse/common/locks";
import type { Store } from "@bourse/common/storage";
import { claimMarket, type LedgerStamp, marketLockResource, readMarketFence } from "@bourse/ledger";
import type { ConnectError } from "@connectrpc/connect";
import { readStalePendingOrderIds } from "../store/book-reads.js";
import { type MarketOwner, readMarketOwner, recordMarketOwner } from "../store/market-owner.js";
import { FenceLostError } from "../store/settlement-errors.js";
import type { MarketListener } from "./market-listener.js";
import { recoverMarket } from "./market-recovery.js";
import { MarketRunner } from "./market-runner.js";
import type { MatchingMetrics } from "./matching-metrics.js";

/** The response header (and error metadata) that names a market's owner to a caller that asked another replica. */
export const MARKET_OWNER_HEADER = "bourse-market-owner";

export interface MarketOwnershipOptions {
  readonly store: Store;
  readonly locks: LockService;
  readonly ownerId: string;
  readonly ownerUrl: string;
  /** The markets this replica may own, read at every claim round. */
  readonly markets: () => Promise<readonly string[]>;
  readonly leaseMs: number;
  readonly claimIntervalMs: number;
  readonly claimStaggerMs: number;
  readonly sweepIntervalMs: number;
  readonly pendingAgeMs: number;
  readonly maxBatchCommands: number;
  readonly maxQueue: number;
  readonly maxTransactionItems?: number;
  /** Told what each owned market's runner does (market data, user updates). */
  readonly listeners?: readonly MarketListener[];
  readonly now: () => Date;
  readonly stamp: () => LedgerStamp;
  readonly metrics: MatchingMetrics;
  readonly logger: Logger;
}

interface OwnedMarket {
  readonly lease: Lease;
  /** Resolves once the book is rebuilt; replaced when the market is recovered again after a failure. */
  ready?: Promise<MarketRunner>;
  runner?: MarketRunner;
  readonly timers: NodeJS.Timeout[];
}

export type MarketState =
  | { readonly kind: "active"; readonly runner: MarketRunner; readonly fencingToken: bigint }
  | { readonly kind: "recovering"; readonly fencingToken: bigint }
  | { readonly kind: "not_owned" };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** Before a market that failed to write is rebuilt again, so a persistent fault does not spin. */
const RECOVERY_RETRY_MS = 1_000;

/**
 * The markets this replica owns (docs/order-flow.md, "Ownership"): it claims free ones at every round,
 * renews each lease at a third of its TTL, and stops a market at once when its lease or its fence is
 * lost. Each owned market has one runner, rebuilt from the table when the market is taken.
 */
export class MarketOwnership {
  private readonly owned = new Map<string, OwnedMarket>();
  private claimTimer: NodeJS.Timeout | undefined;
  private claiming: Promise<void> | undefined;
  private stopped = false;

  constructor(private readonly options: MarketOwnershipOptions) {}

  start(): void {
    const round = () => {
      this.claiming = this.claimRound().finally(() => {
        if (!this.stopped) this.claimTimer = setTimeout(round, this.options.claimIntervalMs);
      });
    };
    round();
  }

  /** Gives every market up (queued callers get `unavailable`) and releases the leases. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.claimTimer);
    await this.claiming;
    await Promise.all([...this.owned.keys()].map((market) => this.drop(market, "released", "shutting down")));
  }

  /** The markets owned now, recovering ones included. */
  ownedMarkets(): string[] {
    return [...this.owned.keys()];
  }

  state(market: string): MarketState {
    const owned = this.owned.get(market);
    if (owned === undefined) return { kind: "not_owned" };
    if (owned.runner === undefined || owned.runner.stopped) {
      return { kind: "recovering", fencingToken: owned.lease.fencingToken };
    }
    return { kind: "active", runner: owned.runner, fencingToken: owned.lease.fencingToken };
  }

  /** The market's runner once its book is ready; `unavailable` (naming the owner) when another replica owns it. */
  async runner(market: string): Promise<MarketRunner> {
    const owned = this.owned.get(market);
    if (owned === undefined) throw await this.notOwnedError(market);
    if (owned.ready === undefined) throw unavailable(`the book of ${market} is being rebuilt; retry`);
    return owned.ready;
  }

  /** The owner the market's sequence item names (it may have died since). */
  recordedOwner(market: string): Promise<MarketOwner | undefined> {
    return readMarketOwner(this.options.store, market);
  }

  /** `unavailable`, with the owner's URL in the message and in the `bourse-market-owner` metadata. */
  async notOwnedError(market: string): Promise<ConnectError> {
    const owner = await readMarketOwner(this.options.store, market);
    const error = unavailable(
      owner?.ownerUrl
        ? `this matching replica does not own ${market}; its owner is at ${owner.ownerUrl}`
        : `this matching replica does not own ${market}; no owner is known yet, retry`,
    );
    if (owner?.ownerUrl) error.metadata.set(MARKET_OWNER_HEADER, owner.ownerUrl);
    return error;
  }

  private async claimRound(): Promise<void> {
    let markets: readonly string[];
    try {
      markets = await this.options.markets();
    } catch (error) {
      this.options.logger.warn({ err: error }, "matching: could not list the markets");
      return;
    }
    for (const market of markets) {
      if (this.stopped) return;
      if (this.owned.has(market) || (await this.heldByOther(market))) continue;
      // Waiting longer the more markets it owns lets a replica with fewer take the free ones first.
      await sleep(this.owned.size * this.options.claimStaggerMs);
      if (this.stopped) return;
      await this.claim(market);
    }
  }

  /** True when the market's stored fence is the token of a live lease: someone else owns it. */
  private async heldByOther(market: string): Promise<boolean> {
    try {
      const fence = await readMarketFence(this.options.store, market);
      return (
        fence !== undefined && (await this.options.locks.isCurrentToken(marketLockResource(market), fence))
      );
    } catch (error) {
      this.options.logger.warn({ err: error, market }, "matching: could not check a market's owner");
      return true;
    }
  }

  private async claim(market: string): Promise<void> {
    let lease: Lease;
    try {
      lease = await claimMarket(this.options.locks, this.options.store, market, {
        ttlMs: this.options.leaseMs,
      });
    } catch (error) {
      if (!(error instanceof LockError)) {
        this.options.logger.warn({ err: error, market }, "matching: claiming a market failed");
      }
      return;
    }
    if (this.stopped) {
      await lease.release();
      return;
    }
    const { ownerId, ownerUrl } = this.options;
    try {
      if (
        !(await recordMarketOwner(this.options.store, market, {
          ownerId,
          ownerUrl,
          fencingToken: lease.fencingToken,
        }))
      ) {
        await lease.release();
        return;
      }
    } catch (error) {
      this.options.logger.warn({ err: error, market }, "matching: recording the owner failed");
      await lease.release();
      return;
    }
    const owned: OwnedMarket = { lease, timers: [] };
    this.owned.set(market, owned);
    this.options.metrics.ownedMarkets.set(this.owned.size);
    this.options.metrics.ownershipChanges.inc({ market, event: "acquired" });
    this.options.logger.info(
      { market, fencing_token: String(lease.fencingToken) },
      `matching: took ${market}`,
    );
    owned.timers.push(
      setInterval(() => void this.renew(market, owned), Math.floor(this.options.leaseMs / 3)),
    );
    owned.timers.push(setInterval(() => void this.sweep(market, owned), this.options.sweepIntervalMs));
    owned.ready = this.rebuild(market, owned);
    owned.ready.catch(() => {});
  }

  private async renew(market: string, owned: OwnedMarket): Promise<void> {
    try {
      await owned.lease.extend(this.options.leaseMs);
    } catch (error) {
      if (this.owned.get(market) !== owned) return;
      this.options.logger.warn({ err: error, market }, `matching: lost the lease of ${market}`);
      await this.drop(market, "lost", `this replica lost ${market}; retry`);
    }
  }

  /** Submits orders accepted a while ago that nobody submitted (their orders process died). */
  private async sweep(market: string, owned: OwnedMarket): Promise<void> {
    const runner = owned.runner;
    if (runner === undefined || runner.stopped) return;
    try {
      const before = new Date(this.options.now().getTime() - this.options.pendingAgeMs);
      runner.resubmit(await readStalePendingOrderIds(this.options.store, market, before));
    } catch (error) {
      this.options.logger.warn({ err: error, market }, "matching: the pending order sweep failed");
    }
  }

  /** Builds the market's book from the table and starts its runner, with the pending orders first. */
  private async rebuild(market: string, owned: OwnedMarket): Promise<MarketRunner> {
    try {
      const recovered = await recoverMarket(this.options.store, market);
      if (this.owned.get(market) !== owned) throw unavailable(`this replica lost ${market}; retry`);
      const runner = new MarketRunner({
        market,
        book: recovered.book,
        store: this.options.store,
        fencingToken: owned.lease.fencingToken,
        stamp: this.options.stamp,
        now: this.options.now,
        metrics: this.options.metrics,
        logger: this.options.logger,
        maxBatchCommands: this.options.maxBatchCommands,
        maxQueue: this.options.maxQueue,
        maxTransactionItems: this.options.maxTransactionItems,
        listeners: this.options.listeners,
        onFailure: (error) => void this.failed(market, owned, error),
      });
      owned.runner = runner;
      runner.resubmit(recovered.pending, true);
      return runner;
    } catch (error) {
      this.options.logger.error({ err: error, market }, `matching: could not rebuild the book of ${market}`);
      await this.drop(market, "lost", `the book of ${market} could not be rebuilt; retry`);
      throw unavailable(`the book of ${market} could not be rebuilt; retry`);
    }
  }

  /**
   * A batch could not be written. Refused by the fence: another replica owns the market, so give it up.
   * Anything else: the engine may be ahead of the table, so rebuild the book from the table.
   */
  private async failed(market: string, owned: OwnedMarket, error: unknown): Promise<void> {
    if (error instanceof FenceLostError) {
      // Logged even when the market was already given up (its lease ran out meanwhile): the operator sees
      // that the fence refused a stale owner.
      this.options.logger.warn(
        { market, fencing_token: String(owned.lease.fencingToken) },
        `matching: the fence of ${market} refused a settlement; another replica owns ${market}`,
      );
      if (this.owned.get(market) === owned) {
        await this.drop(market, "lost", `this replica lost ${market}; retry`);
      }
      return;
    }
    if (this.owned.get(market) !== owned) return;
    this.options.logger.error(
      { err: error, market },
      `matching: writing ${market} failed; rebuilding its book`,
    );
    owned.ready = sleep(RECOVERY_RETRY_MS).then(() => {
      if (this.owned.get(market) !== owned) throw unavailable(`this replica lost ${market}; retry`);
      return this.rebuild(market, owned);
    });
    owned.ready.catch(() => {});
  }

  private async drop(market: string, event: "lost" | "released", reason: string): Promise<void> {
    const owned = this.owned.get(market);
    if (owned === undefined) return;
    this.owned.delete(market);
    for (const timer of owned.timers) clearInterval(timer);
    owned.runner?.stop(reason);
    this.options.metrics.ownedMarkets.set(this.owned.size);
    this.options.metrics.ownershipChanges.inc({ market, event });
    try {
      await owned.lease.release();
    } catch (error) {
      this.options.logger.warn({ err: error, market }, "matching: releasing a lease failed");
    }
  }
}
