import { type ChildProcess, fork } from "node:child_process";

/** What the subscriber process opens, all on one market. */
export interface SubscriberPlan {
  /** The matching service's h2c URL (it serves MarketDataService). */
  readonly baseUrl: string;
  readonly market: string;
  readonly books: number;
  readonly trades: number;
  readonly tickers: number;
}

/** What the subscribers received since the last reset. */
export interface SubscriberReport {
  readonly type: "report";
  readonly seconds: number;
  /** CPU the subscriber process used (user + system). */
  readonly cpuSeconds: number;
  /** Book deltas received, over all book subscribers. */
  readonly deltas: number;
  /** Book sequences those deltas covered (a merged delta covers several). */
  readonly sequences: number;
  /** Snapshots the server sent after the first (it restarted a subscriber's book). */
  readonly resnapshots: number;
  /** Deltas that did not start right after the last sequence seen: must stay 0. */
  readonly gaps: number;
  readonly trades: number;
  readonly tickers: number;
  /** Lag of the book deltas: receive time − as_of. */
  readonly lagMs: { readonly p50: number; readonly p99: number; readonly p999: number; readonly max: number };
  /** Streams that failed, by message. */
  readonly failures: ReadonlyArray<readonly [string, number]>;
}

export type SubscriberCommand =
  | { readonly type: "start"; readonly plan: SubscriberPlan }
  | { readonly type: "reset" }
  | { readonly type: "report" }
  | { readonly type: "stop" };

export type SubscriberMessage = { readonly type: "ready" } | { readonly type: "reset" } | SubscriberReport;

export interface SubscriberProcess {
  readonly pid: number | undefined;
  /** Starts counting afresh (after the streams opened and the load warmed up). */
  reset(): Promise<void>;
  report(): Promise<SubscriberReport>;
  stop(): Promise<void>;
}

/**
 * Forks bench/marketdata/subscribers.ts and has it open `plan`'s streams; resolves once every book and
 * ticker stream has delivered its first message (a book's snapshot).
 */
export async function startSubscribers(plan: SubscriberPlan): Promise<SubscriberProcess> {
  const child: ChildProcess = fork(new URL("./subscribers.ts", import.meta.url).pathname, [], {
    execArgv: ["--import", "tsx"],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const exited = new Promise<never>((_, reject) =>
    child.once("exit", (code, signal) =>
      reject(new Error(`the subscriber process exited (${code ?? signal})`)),
    ),
  );
  exited.catch(() => {});
  const next = <T extends SubscriberMessage["type"]>(type: T) =>
    Promise.race([
      new Promise<Extract<SubscriberMessage, { type: T }>>((resolve) => {
        const onMessage = (message: SubscriberMessage) => {
          if (message.type !== type) return;
          child.off("message", onMessage);
          resolve(message as Extract<SubscriberMessage, { type: T }>);
        };
        child.on("message", onMessage);
      }),
      exited,
    ]);
  const command = (message: SubscriberCommand) => child.send(message);
  const ready = next("ready");
  command({ type: "start", plan });
  await ready;
  return {
    pid: child.pid,
    async reset() {
      const done = next("reset");
      command({ type: "reset" });
      await done;
    },
    async report() {
      const answer = next("report");
      command({ type: "report" });
      return answer;
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const gone = new Promise((resolve) => child.once("exit", resolve));
      command({ type: "stop" });
      await gone;
    },
  };
}
