import type { MessageBus } from "@bourse/common/bus";
import type { MarketListener } from "../runtime/market-listener.js";
import { publishFeedToBus } from "./bus-publisher.js";
import type { MarketFeed, MarketFeeds } from "./market-feed.js";
import { RemoteMarketFeed } from "./remote-market-feed.js";

export interface ReplicaMarketFeedsOptions {
  /** The live feed of a market this replica owns (the hub's), else undefined. */
  readonly local: (market: string) => MarketFeed | undefined;
  readonly bus: MessageBus;
  readonly now: () => Date;
  /** A mirror nobody has subscribed to or asked for this long is closed (default 30 s). */
  readonly idleMs?: number;
  /** How long a new mirror waits for its owner's snapshot before the market is unavailable (default 3 s). */
  readonly snapshotTimeoutMs?: number;
}

interface Mirror {
  readonly opening: Promise<RemoteMarketFeed>;
  feed?: RemoteMarketFeed;
  /** When it last had no subscribers and was not asked for; undefined while in use. */
  idleSince?: number;
}

/**
 * The market data of every market on any replica. As a MarketListener beside the hub, it publishes the feed
 * of each market this replica owns to the bus; as MarketFeeds, it answers with that local feed, or else with
 * a mirror of the owner's feed from the bus, opened on first use and closed once idle.
 */
export class ReplicaMarketFeeds implements MarketFeeds, MarketListener {
  private readonly mirrors = new Map<string, Mirror>();
  private readonly published = new Map<string, { feed: MarketFeed; stop: () => void }>();
  private readonly idleMs: number;
  private readonly sweeper: NodeJS.Timeout;

  constructor(private readonly options: ReplicaMarketFeedsOptions) {
    this.idleMs = options.idleMs ?? 30_000;
    this.sweeper = setInterval(() => this.closeIdleMirrors(), Math.max(1, this.idleMs / 2));
    this.sweeper.unref();
  }

  async feed(market: string): Promise<MarketFeed> {
    const local = this.options.local(market);
    if (local !== undefined) return local;
    let mirror = this.mirrors.get(market);
    if (mirror === undefined) mirror = this.openMirror(market);
    mirror.idleSince = undefined;
    return mirror.opening;
  }

  started(market: string): void {
    // The hub, told before or after this listener, has the market's feed by the next microtask.
    queueMicrotask(() => this.publish(market));
  }

  committed(): void {}

  stopped(): void {}

  /** Stops publishing and closes every mirror (their streams end). */
  close(): void {
    clearInterval(this.sweeper);
    for (const { stop } of this.published.values()) stop();
    this.published.clear();
    for (const mirror of this.mirrors.values()) mirror.feed?.close();
    this.mirrors.clear();
  }

  private publish(market: string): void {
    const feed = this.options.local(market);
    // The same feed restarted (a rebuild) publishes its own snapshot event; only a new feed needs a publisher.
    if (feed === undefined || this.published.get(market)?.feed === feed) return;
    this.published.get(market)?.stop();
    const stop = publishFeedToBus(feed, {
      bus: this.options.bus,
      now: this.options.now,
      live: () => this.options.local(market) === feed,
    });
    this.published.set(market, { feed, stop });
    feed.closed?.addEventListener(
      "abort",
      () => {
        if (this.published.get(market)?.feed === feed) this.published.delete(market);
      },
      { once: true },
    );
  }

  private openMirror(market: string): Mirror {
    const opening = RemoteMarketFeed.open({
      bus: this.options.bus,
      market,
      ...(this.options.snapshotTimeoutMs === undefined
        ? {}
        : { snapshotTimeoutMs: this.options.snapshotTimeoutMs }),
    });
    const mirror: Mirror = { opening };
    this.mirrors.set(market, mirror);
    opening.then(
      (feed) => {
        if (this.mirrors.get(market) === mirror) mirror.feed = feed;
        else feed.close();
      },
      () => {
        if (this.mirrors.get(market) === mirror) this.mirrors.delete(market);
      },
    );
    return mirror;
  }

  private closeIdleMirrors(): void {
    const now = performance.now();
    for (const [market, mirror] of this.mirrors) {
      if (mirror.feed === undefined) continue;
      if (mirror.feed.subscriberCount > 0) {
        mirror.idleSince = undefined;
      } else if (mirror.idleSince === undefined) {
        mirror.idleSince = now;
      } else if (now - mirror.idleSince >= this.idleMs) {
        this.mirrors.delete(market);
        mirror.feed.close();
      }
    }
  }
}
