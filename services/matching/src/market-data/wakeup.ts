/**
 * A doorbell between a synchronous publisher and one async reader: `notify` rings it (cheaply, any number of
 * times), `wait` resolves at the next ring, or at once if it rang since the last wait, or when `signal` aborts.
 */
export class Wakeup {
  private rang = false;
  private waiter: (() => void) | undefined;

  notify(): void {
    this.rang = true;
    const waiter = this.waiter;
    this.waiter = undefined;
    waiter?.();
  }

  wait(signal: AbortSignal): Promise<void> {
    if (this.rang || signal.aborted) {
      this.rang = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = () => {
        signal.removeEventListener("abort", done);
        this.waiter = undefined;
        this.rang = false;
        resolve();
      };
      this.waiter = done;
      signal.addEventListener("abort", done, { once: true });
    });
  }
}
