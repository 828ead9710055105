import { AsyncLocalStorage } from "node:async_hooks";

/** What an incoming call hands on to the calls it makes: its deadline and its cancellation. */
export interface CallContext {
  /** Epoch milliseconds after which the caller no longer waits. */
  readonly deadline: number;
  readonly signal: AbortSignal;
}

const storage = new AsyncLocalStorage<CallContext>();

/** Runs `fn` with `callContext` visible to every outgoing call it makes. */
export function runWithCallContext<T>(callContext: CallContext, fn: () => T): T {
  return storage.run(callContext, fn);
}

/** The context of the incoming call being handled, if any. */
export function currentCallContext(): CallContext | undefined {
  return storage.getStore();
}
