import { setTimeout as sleep } from "node:timers/promises";

/**
 * Polls `condition` until it holds. The bound only keeps a broken run from hanging until the test's own
 * timeout; it is far above what any healthy run needs, so it is no timing assertion.
 */
export async function eventually(
  what: string,
  condition: () => Promise<boolean>,
  details: () => string = () => "",
): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`never happened: ${what}\n${details()}`);
    await sleep(50);
  }
}
