import type { Interceptor } from "@connectrpc/connect";
import { observeOutcome } from "./call-outcome.js";

/** Counts unary calls in progress so that shutdown can wait for them to finish. */
export class InFlightCalls {
  private count = 0;
  private idleWaiters: Array<() => void> = [];

  interceptor(): Interceptor {
    return (next) => async (req) => {
      if (req.stream) return next(req);
      this.count += 1;
      return observeOutcome(
        () => next(req),
        () => this.finish(),
      );
    };
  }

  get size(): number {
    return this.count;
  }

  /** Resolves once no unary call is in progress. */
  idle(): Promise<void> {
    if (this.count === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private finish(): void {
    this.count -= 1;
    if (this.count > 0) return;
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }
}
