import { setTimeout as sleep } from "node:timers/promises";
import type { PricePoint } from "../domain/price.js";

const identity = (point: PricePoint) => `${point.price}|${point.source}`;

/**
 * Polls `read` every `intervalMs` and yields what changed since the last yield (all of it the first time),
 * skipping empty rounds. Stops without error when `signal` aborts.
 */
export async function* streamChanges(
  read: () => Promise<PricePoint[]>,
  intervalMs: number,
  signal: AbortSignal,
): AsyncGenerator<PricePoint[]> {
  const sent = new Map<string, string>();
  while (!signal.aborted) {
    const changed = (await read()).filter((point) => sent.get(point.asset) !== identity(point));
    for (const point of changed) sent.set(point.asset, identity(point));
    if (changed.length > 0) yield changed;
    try {
      await sleep(intervalMs, undefined, { signal });
    } catch {
      return;
    }
  }
}
