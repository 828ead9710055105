/** What an adapter reports of faults it absorbs, so that they are counted and logged, never thrown at callers. */
export interface BusObserver {
  /** A subscriber threw while handling a message of `channel`; the other subscribers were still told. */
  readonly subscriberFailed?: (channel: string, error: unknown) => void;
  /** A message to `channel` was dropped: Redis was unreachable when it was published. */
  readonly publishDropped?: (channel: string) => void;
}

/** Tells every handler, in order; one that throws is reported and does not stop the others. */
export function deliver(
  handlers: Iterable<(message: string) => void>,
  channel: string,
  message: string,
  observer: BusObserver,
): void {
  for (const handler of handlers) {
    try {
      handler(message);
    } catch (error) {
      observer.subscriberFailed?.(channel, error);
    }
  }
}
