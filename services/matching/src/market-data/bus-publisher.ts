import type { MessageBus } from "@bourse/common/bus";
import { encodeFeedMessage, marketChannel, syncChannel } from "./feed-wire.js";
import type { MarketFeed } from "./market-feed.js";

/** Most trades a snapshot carries, as the contract's snapshot event allows. */
export const SNAPSHOT_TRADES = 500;

export interface BusPublisherOptions {
  readonly bus: MessageBus;
  readonly now: () => Date;
  /** At most one snapshot per market in this long, however many mirrors ask (default 100 ms). */
  readonly snapshotIntervalMs?: number;
  /**
   * Whether the feed is its market's live one here: a feed whose runner stopped (the market may be another
   * replica's already) does not answer, so that mirrors never resynchronise on a stale book. Default: always.
   */
  readonly live?: () => boolean;
}

/**
 * The owner's side of the market data of other replicas: publishes every event of `feed` on the market's
 * channel, and answers snapshot requests on its sync channel with a snapshot on the market channel (one per
 * interval at most: mirrors that ask together share it). Everything goes out on the one connection, so a
 * snapshot follows exactly the events it includes. It starts with a snapshot of its own, which tells mirrors
 * that the market has a new owner (or a rebuilt book). Stops when the feed closes, or when the returned
 * function is called.
 */
export function publishFeedToBus(feed: MarketFeed, options: BusPublisherOptions): () => void {
  const { bus, now } = options;
  const intervalMs = options.snapshotIntervalMs ?? 100;
  const channel = marketChannel(feed.market);
  let lastSnapshotAt = Number.NEGATIVE_INFINITY;
  let pending: NodeJS.Timeout | undefined;
  let stopped = false;
  const live = options.live ?? (() => true);

  const publishSnapshot = (requested: boolean) => {
    pending = undefined;
    if (stopped || (requested && !live())) return;
    lastSnapshotAt = performance.now();
    const event = {
      kind: "snapshot" as const,
      book: feed.book(),
      ticker: feed.ticker(now()),
      recentTrades: feed.recentTrades(SNAPSHOT_TRADES),
    };
    bus.publish(channel, encodeFeedMessage({ event, requested }));
  };

  const unsubscribeFeed = feed.subscribe((event) => {
    if (!stopped) bus.publish(channel, encodeFeedMessage({ event, requested: false }));
  });
  const requests = bus.subscribe(syncChannel(feed.market), () => {
    if (stopped || pending !== undefined || !live()) return;
    const wait = lastSnapshotAt + intervalMs - performance.now();
    if (wait <= 0) publishSnapshot(true);
    else pending = setTimeout(() => publishSnapshot(true), wait);
  });
  publishSnapshot(false);

  const stop = () => {
    stopped = true;
    clearTimeout(pending);
    unsubscribeFeed();
    requests.close();
  };
  feed.closed?.addEventListener("abort", stop, { once: true });
  return stop;
}
