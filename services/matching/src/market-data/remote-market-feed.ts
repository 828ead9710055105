import { unavailable } from "@bourse/common";
import type { MessageBus, Subscription } from "@bourse/common/bus";
import { SNAPSHOT_TRADES } from "./bus-publisher.js";
import { decodeFeedMessage, marketChannel, syncChannel } from "./feed-wire.js";
import type { BookSnapshot, MarketFeed, MarketFeedEvent, PublicTrade, TickerState } from "./market-feed.js";
import { MirrorBook } from "./mirror-book.js";

type SnapshotEvent = Extract<MarketFeedEvent, { kind: "snapshot" }>;
type UpdateEvent = Extract<MarketFeedEvent, { kind: "update" }>;

export interface RemoteMarketFeedOptions {
  readonly bus: MessageBus;
  readonly market: string;
  /** With no snapshot within this long, no owner answers on the bus and the feed is unavailable (default 3 s). */
  readonly snapshotTimeoutMs?: number;
  /** While a snapshot is awaited, the request is repeated this often: it or its answer may be lost (default 500 ms). */
  readonly syncRetryMs?: number;
  /** Most updates held while a snapshot is awaited; the oldest go first (default 10,000). */
  readonly maxBuffered?: number;
}

/**
 * The feed of a market another replica owns, mirrored from the owner's events on the bus. It asks for a
 * snapshot, holds the deltas that arrive meanwhile, then applies them in sequence. A delta that does not
 * follow the book (a message lost on the bus) puts it back to waiting for a snapshot, while it keeps serving
 * its last consistent book; its subscribers get a snapshot event when the new snapshot arrives, as they do
 * when a new owner starts the market.
 */
export class RemoteMarketFeed implements MarketFeed {
  readonly market: string;
  private readonly bus: MessageBus;
  private readonly syncRetryMs: number;
  private readonly maxBuffered: number;
  private readonly subscription: Subscription;
  private readonly listeners = new Set<(event: MarketFeedEvent) => void>();
  /** Undefined until the first snapshot. */
  private mirror: MirrorBook | undefined;
  /** Oldest first. */
  private trades: PublicTrade[] = [];
  private lastTicker: TickerState | undefined;
  private syncing = true;
  private buffered: UpdateEvent[] = [];
  private retry: NodeJS.Timeout | undefined;
  private readonly stopped = new AbortController();
  /** Aborted when the replica closes this mirror (it went idle, or the service stops). */
  readonly closed: AbortSignal = this.stopped.signal;
  private firstSnapshotArrived: () => void = () => undefined;

  private constructor(options: RemoteMarketFeedOptions) {
    this.market = options.market;
    this.bus = options.bus;
    this.syncRetryMs = options.syncRetryMs ?? 500;
    this.maxBuffered = options.maxBuffered ?? 10_000;
    this.subscription = this.bus.subscribe(marketChannel(this.market), (message) => this.receive(message));
  }

  /** Subscribes and waits for the owner's snapshot; `unavailable` when none comes in time. */
  static async open(options: RemoteMarketFeedOptions): Promise<RemoteMarketFeed> {
    const feed = new RemoteMarketFeed(options);
    const timeoutMs = options.snapshotTimeoutMs ?? 3_000;
    let timer: NodeJS.Timeout | undefined;
    const arrived = new Promise<boolean>((resolve) => {
      feed.firstSnapshotArrived = () => resolve(true);
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    const subscribed = await Promise.race([
      feed.subscription.ready.then(() => true),
      arrived.then(() => false),
    ]);
    if (subscribed) feed.requestSnapshots();
    const synchronised = await arrived;
    clearTimeout(timer);
    if (!synchronised) {
      feed.close();
      throw unavailable(`no market data for ${options.market}: its owner did not answer`);
    }
    return feed;
  }

  /** Listeners of this mirror; with none for a while, the replica closes it. */
  get subscriberCount(): number {
    return this.listeners.size;
  }

  book(): BookSnapshot {
    return this.currentBook().snapshot();
  }

  /** The owner's last ticker, with the mirrored top of book and last trade; its 24 h figures are the owner's. */
  ticker(_now: Date): TickerState {
    const book = this.currentBook();
    const { bestBid: _bid, bestAsk: _ask, ...ticker } = this.lastTicker ?? emptyTicker(this.market);
    const bestBid = book.best("buy");
    const bestAsk = book.best("sell");
    const lastPrice = this.trades.at(-1)?.price ?? ticker.lastPrice;
    return {
      ...ticker,
      ...(lastPrice === undefined ? {} : { lastPrice }),
      ...(bestBid === undefined ? {} : { bestBid }),
      ...(bestAsk === undefined ? {} : { bestAsk }),
    };
  }

  recentTrades(limit: number): PublicTrade[] {
    const count = Math.max(0, Math.min(limit, this.trades.length));
    return this.trades.slice(this.trades.length - count).reverse();
  }

  subscribe(listener: (event: MarketFeedEvent) => void): () => void {
    // A wrapper per call, so that the same function subscribed twice is told twice and removed once each.
    const entry = (event: MarketFeedEvent) => listener(event);
    this.listeners.add(entry);
    return () => this.listeners.delete(entry);
  }

  close(): void {
    if (this.closed.aborted) return;
    this.stopped.abort();
    clearInterval(this.retry);
    this.subscription.close();
    this.listeners.clear();
  }

  private currentBook(): MirrorBook {
    if (this.mirror === undefined) throw unavailable(`no market data for ${this.market} yet`);
    return this.mirror;
  }

  private receive(text: string): void {
    if (this.closed.aborted) return;
    let message: ReturnType<typeof decodeFeedMessage>;
    try {
      message = decodeFeedMessage(text);
    } catch {
      // What it said is lost, as if the message had been: start again from a snapshot.
      this.resynchronise();
      return;
    }
    const { event, requested } = message;
    if (event.kind === "snapshot") this.receiveSnapshot(event, requested);
    else if (this.syncing) this.hold(event);
    else this.applyUpdate(event, true);
  }

  private receiveSnapshot(event: SnapshotEvent, requested: boolean): void {
    // An answer to another mirror tells one in step nothing new (and one behind it comes from a replica that
    // has just lost the market); the owner's own snapshot (a new runner, a new owner) always counts.
    const current = this.mirror?.sequence;
    if (!this.syncing && requested && current !== undefined && event.book.sequence <= current) return;
    this.mirror = MirrorBook.of(event.book);
    this.trades = [...event.recentTrades].reverse();
    this.lastTicker = event.ticker;
    this.syncing = false;
    clearInterval(this.retry);
    this.retry = undefined;
    const held = this.buffered;
    this.buffered = [];
    for (const [index, update] of held.entries()) {
      if (!this.applyUpdate(update, false)) {
        this.buffered.push(...held.slice(index + 1));
        return;
      }
    }
    this.firstSnapshotArrived();
    this.emit({
      kind: "snapshot",
      book: this.mirror.snapshot(),
      ticker: this.ticker(new Date()),
      recentTrades: this.recentTrades(SNAPSHOT_TRADES),
    });
  }

  /** Applies an update in step with the book; false (and waiting for a snapshot) when it does not follow. */
  private applyUpdate(event: UpdateEvent, tell: boolean): boolean {
    const book = this.currentBook();
    const delta = event.delta;
    const applies = delta !== undefined && delta.sequence > book.sequence;
    if (applies && delta.firstSequence !== book.sequence + 1n) {
      this.resynchronise(event);
      return false;
    }
    if (applies) book.advance(delta.sequence, delta.changes, delta.asOf);
    const trades = this.addTrades(event.trades);
    if (event.ticker) this.lastTicker = event.ticker;
    if (tell && (applies || trades.length > 0 || event.ticker)) {
      this.emit({
        kind: "update",
        ...(applies ? { delta } : {}),
        trades,
        ...(event.ticker ? { ticker: event.ticker } : {}),
      });
    }
    return true;
  }

  /** Keeps the trades newer than the newest known, and returns them. */
  private addTrades(trades: readonly PublicTrade[]): PublicTrade[] {
    const added: PublicTrade[] = [];
    for (const trade of trades) {
      if (trade.sequence <= (this.trades.at(-1)?.sequence ?? Number.NEGATIVE_INFINITY)) continue;
      this.trades.push(trade);
      added.push(trade);
    }
    if (this.trades.length > 2 * SNAPSHOT_TRADES) this.trades.splice(0, this.trades.length - SNAPSHOT_TRADES);
    return added;
  }

  private hold(event: UpdateEvent): void {
    if (this.buffered.length >= this.maxBuffered) this.buffered.shift();
    this.buffered.push(event);
  }

  private resynchronise(from?: UpdateEvent): void {
    this.syncing = true;
    this.buffered = from ? [from] : [];
    this.requestSnapshots();
  }

  /** Asks now and again every `syncRetryMs` until a snapshot arrives. */
  private requestSnapshots(): void {
    if (this.closed.aborted) return;
    this.bus.publish(syncChannel(this.market), "snapshot");
    if (this.retry !== undefined) return;
    this.retry = setInterval(() => this.bus.publish(syncChannel(this.market), "snapshot"), this.syncRetryMs);
    this.retry.unref();
  }

  private emit(event: MarketFeedEvent): void {
    for (const listener of [...this.listeners]) listener(event);
  }
}

function emptyTicker(market: string): TickerState {
  return { market, volume24h: "0", quoteVolume24h: "0", asOf: new Date(0) };
}
