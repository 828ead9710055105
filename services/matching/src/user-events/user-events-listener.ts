import type { Logger, ServiceContext } from "@bourse/common";
import { embeddedStateClientOf } from "@bourse/common/embedded-state";
import {
  acquireUserEventLog,
  indexBalances,
  orderEventToAppend,
  servicePublisher,
  type UserEventPublisher,
} from "@bourse/trading/user-events";
import type { MarketBook } from "../domain/market-book.js";
import type { CommittedOutcomes, MarketListener } from "../runtime/market-listener.js";
import { outcomeEvents } from "./outcome-events.js";

/**
 * Publishes the users' execution reports (StreamMyOrders) of what each owned market commits. It only
 * enqueues: the publisher appends to the log in the background, so matching never waits for it, and a
 * failure is reported, never thrown into the runner.
 */
export class UserEventsListener implements MarketListener {
  /** Per owned market, the ids of the orders in its book (see `outcomeEvents`). */
  private readonly resting = new Map<string, Set<string>>();

  constructor(
    private readonly publisher: UserEventPublisher,
    private readonly logger: Logger,
  ) {}

  started(market: string, book: MarketBook): void {
    this.resting.set(market, new Set(book.restingRecords().map((order) => order.orderId)));
  }

  committed(batch: CommittedOutcomes): void {
    try {
      let resting = this.resting.get(batch.market);
      if (resting === undefined) {
        resting = new Set();
        this.resting.set(batch.market, resting);
      }
      const balances = indexBalances(batch.balances);
      const events = batch.outcomes.flatMap((outcome) => outcomeEvents(outcome, resting, balances));
      void this.publisher.publish(events.map(orderEventToAppend));
    } catch (error) {
      this.logger.error({ err: error, market: batch.market }, "user order updates not published");
    }
  }

  stopped(market: string): void {
    this.resting.delete(market);
  }
}

/**
 * The listener of a matching service, on the process's user event log (Redis when REDIS_URL is set);
 * `release` once the markets are stopped.
 */
export function userEventsListenerOf(context: ServiceContext): {
  readonly listener: UserEventsListener;
  release(): Promise<void>;
} {
  const handle = acquireUserEventLog(
    context.colocated,
    context.env.REDIS_URL,
    embeddedStateClientOf(context.name, context.env),
  );
  const publisher = servicePublisher(handle.log, {
    logger: context.logger,
    registry: context.metrics.registry,
  });
  return { listener: new UserEventsListener(publisher, context.logger), release: () => handle.release() };
}
