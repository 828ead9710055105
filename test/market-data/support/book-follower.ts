import { createServiceClient } from "@bourse/common";
import {
  MarketDataService,
  type StreamOrderBookResponse,
  StreamOrderBookResponseSchema,
} from "@bourse/proto/bourse/marketdata/v1/market_data_service_pb";
import { toBinary } from "@bufbuild/protobuf";
import { type Client, Code, ConnectError } from "@connectrpc/connect";
import { type Applied, BookReplica } from "./book-replica.js";

/** What a follower saw over its whole life. */
export interface FollowerCounts {
  /** Snapshots applied: the first, and every one the server sent to restart the client's copy. */
  snapshots: number;
  /** The sequence of the first snapshot. */
  initialSequence: bigint | undefined;
  /** Book sequences a later snapshot jumped over (the client had not applied them as deltas). */
  sequencesSkipped: bigint;
  deltas: number;
  /** Deltas that merged several commands (first sequence below sequence). */
  mergedDeltas: number;
  /** Book sequences the applied deltas covered, merged ones included. */
  sequencesCovered: bigint;
  /** Deltas whose first sequence was not the next one: each made the follower subscribe again. */
  gaps: number;
  /** Streams the server ended (UNAVAILABLE or a clean end), each followed by a new subscription. */
  serverEnds: number;
  /** Protobuf size of every message received: what a server queuing them for a reader would hold. */
  bytes: number;
}

/** The stream stays open far longer than any test, whatever default deadline the server gives calls. */
const STREAM_TIMEOUT_MS = 3_600_000;

/**
 * A StreamOrderBook client that keeps a BookReplica of `market` current for as long as it runs: on a gap,
 * or when the server ends the stream, it subscribes again and starts over from the new snapshot.
 */
export class BookFollower {
  readonly replica = new BookReplica();
  readonly counts: FollowerCounts = {
    snapshots: 0,
    initialSequence: undefined,
    sequencesSkipped: 0n,
    deltas: 0,
    mergedDeltas: 0,
    sequencesCovered: 0n,
    gaps: 0,
    serverEnds: 0,
    bytes: 0,
  };
  private readonly stopping = new AbortController();
  private readonly done: Promise<void>;
  private waiters: Array<() => void> = [];
  /** The last sequence the replica reached, kept across gaps. */
  private lastReached: bigint | undefined;

  constructor(baseUrl: string, market: string) {
    const client = createServiceClient(MarketDataService, { baseUrl, caller: "test" });
    this.done = this.follow(client, market);
    // Whoever awaits `reached` or `stop` sees the failure; until then it must not go unhandled.
    this.done.catch(() => {});
  }

  /** Resolves once the replica reflects book sequence `sequence` or later; rejects if following failed. */
  async reached(sequence: bigint): Promise<void> {
    while ((this.replica.sequence ?? -1n) < sequence) {
      if (this.stopping.signal.aborted) throw new Error("the follower was stopped");
      await Promise.race([new Promise<void>((resolve) => this.waiters.push(resolve)), this.done]);
    }
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    await this.done;
  }

  private async follow(client: Client<typeof MarketDataService>, market: string): Promise<void> {
    while (!this.stopping.signal.aborted) {
      const subscription = new AbortController();
      const signal = AbortSignal.any([this.stopping.signal, subscription.signal]);
      try {
        for await (const message of client.streamOrderBook(
          { market },
          { signal, timeoutMs: STREAM_TIMEOUT_MS },
        )) {
          this.counts.bytes += toBinary(StreamOrderBookResponseSchema, message).length;
          if (this.apply(message.event) === "gap") {
            this.counts.gaps++;
            subscription.abort();
            break;
          }
          for (const wake of this.waiters.splice(0)) wake();
        }
        if (!subscription.signal.aborted && !this.stopping.signal.aborted) this.counts.serverEnds++;
      } catch (error) {
        if (signal.aborted) continue;
        if (ConnectError.from(error).code !== Code.Unavailable) throw error;
        this.counts.serverEnds++;
      }
    }
  }

  private apply(event: StreamOrderBookResponse["event"]): Applied {
    switch (event.case) {
      case "snapshot": {
        const { sequence } = event.value;
        if (this.lastReached !== undefined && sequence < this.lastReached) {
          throw new Error(`a snapshot at ${sequence} went back from ${this.lastReached}`);
        }
        this.counts.snapshots++;
        this.counts.initialSequence ??= sequence;
        this.counts.sequencesSkipped += sequence - (this.lastReached ?? sequence);
        this.lastReached = sequence;
        return this.replica.applySnapshot(event.value);
      }
      case "delta": {
        const applied = this.replica.applyDelta(event.value);
        if (applied === "delta") {
          const covered = event.value.sequence - event.value.firstSequence + 1n;
          this.counts.deltas++;
          this.counts.sequencesCovered += covered;
          if (covered > 1n) this.counts.mergedDeltas++;
          this.lastReached = event.value.sequence;
        }
        return applied;
      }
      default:
        throw new Error(`StreamOrderBook sent a message with no event (${event.case})`);
    }
  }
}
