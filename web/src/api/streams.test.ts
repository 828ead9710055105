import { type CallOptions, Code, ConnectError } from "@connectrpc/connect";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { StreamState } from "./connection.ts";

const refreshSession = vi.fn(async () => true);
vi.mock("./session.ts", () => ({ refreshSession: () => refreshSession() }));
const reportStreamState = vi.fn();
vi.mock("./connection.ts", () => ({
  reportStreamState: (stream: symbol, state: StreamState | undefined) => reportStreamState(stream, state),
}));
const { runStream } = await import("./streams.ts");

/** One scripted connection: the messages it delivers, then how it ends (undefined: the server closed it). */
interface Connection {
  messages: string[];
  end?: ConnectError;
}

function scriptedStream(connections: Connection[]) {
  const opened: CallOptions[] = [];
  const open = (options: CallOptions) => {
    opened.push(options);
    const connection = connections.shift() ?? {
      messages: [],
      end: new ConnectError("down", Code.Unavailable),
    };
    return (async function* () {
      options.onHeader?.(new Headers());
      for (const message of connection.messages) yield message;
      if (connection.end) throw connection.end;
    })();
  };
  return { open, opened };
}

function recorder() {
  const events: string[] = [];
  return {
    events,
    onConnect: () => events.push("connect"),
    onMessage: (message: string) => events.push(message),
    onState: (state: StreamState, error?: string) => events.push(error ? `${state}: ${error}` : state),
  };
}

beforeEach(() => {
  vi.useFakeTimers();
  refreshSession.mockClear();
  reportStreamState.mockClear();
});

/** What the connection indicator was told of the stream, in order (undefined: not counted). */
const reported = () => reportStreamState.mock.calls.map(([, state]) => state as StreamState | undefined);

afterEach(() => vi.useRealTimers());

describe("runStream", () => {
  it("reconnects after a failure and starts each connection with onConnect, so snapshots are rebuilt", async () => {
    const stream = scriptedStream([
      { messages: ["snapshot", "delta"], end: new ConnectError("reset", Code.Unavailable) },
      { messages: ["snapshot again"], end: new ConnectError("reset", Code.Unavailable) },
    ]);
    const events = recorder();
    const stop = runStream({ open: stream.open, ...events });
    await vi.advanceTimersByTimeAsync(0);
    expect(events.events).toEqual(["connecting", "live", "connect", "snapshot", "delta", "reconnecting"]);
    await vi.advanceTimersByTimeAsync(500);
    expect(events.events.slice(6)).toEqual(["live", "connect", "snapshot again", "reconnecting"]);
    stop();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(stream.opened).toHaveLength(2);
    expect(stream.opened[0]?.signal?.aborted).toBe(true);
  });

  it("backs off exponentially while the server stays unreachable", async () => {
    vi.spyOn(Math, "random").mockReturnValue(1);
    const stream = scriptedStream([]);
    const stop = runStream({ open: stream.open, onMessage: () => undefined });
    await vi.advanceTimersByTimeAsync(0);
    expect(stream.opened).toHaveLength(1);
    for (const delay of [500, 1_000, 2_000, 4_000]) {
      await vi.advanceTimersByTimeAsync(delay - 1);
      const before = stream.opened.length;
      await vi.advanceTimersByTimeAsync(1);
      expect(stream.opened).toHaveLength(before + 1);
    }
    stop();
  });

  it("gives up with a readable reason on a request that can never succeed", async () => {
    const stream = scriptedStream([
      { messages: [], end: new ConnectError("unknown market XYZ-USD", Code.NotFound) },
    ]);
    const events = recorder();
    runStream({ open: stream.open, ...events });
    await vi.advanceTimersByTimeAsync(60_000);
    expect(events.events.at(-1)).toBe("failed: Unknown market XYZ-USD.");
    expect(stream.opened).toHaveLength(1);
  });

  it("refreshes the session when the token expired, and stops when that fails", async () => {
    const expired = new ConnectError("token expired", Code.Unauthenticated);
    const stream = scriptedStream([
      { messages: [], end: expired },
      { messages: ["order update"], end: expired },
    ]);
    refreshSession.mockResolvedValueOnce(true).mockResolvedValueOnce(false);
    const events = recorder();
    runStream({ open: stream.open, ...events });
    await vi.advanceTimersByTimeAsync(60_000);
    expect(refreshSession).toHaveBeenCalledTimes(2);
    expect(events.events).toContain("order update");
    expect(events.events.at(-1)).toBe("failed: Token expired.");
    expect(stream.opened).toHaveLength(2);
  });

  it("counts a stream that stays silent until an event for the indicator only once it speaks or fails", async () => {
    let deliver: (message: string) => void = () => {};
    let fail: (error: ConnectError) => void = () => {};
    const open = () =>
      (async function* () {
        for (;;) {
          yield await new Promise<string>((resolve, reject) => {
            deliver = resolve;
            fail = reject;
          });
        }
      })();
    const stop = runStream({ open, onMessage: () => {}, silentUntilEvent: true });
    await vi.advanceTimersByTimeAsync(1000);
    expect(reported()).toEqual([undefined]);
    deliver("trade");
    await vi.advanceTimersByTimeAsync(0);
    expect(reported()).toEqual([undefined, "live"]);
    fail(new ConnectError("reset", Code.Unavailable));
    await vi.advanceTimersByTimeAsync(0);
    expect(reported()).toEqual([undefined, "live", "reconnecting"]);
    await vi.advanceTimersByTimeAsync(1000);
    expect(reported()).toEqual([undefined, "live", "reconnecting", undefined]);
    stop();
  });

  it("counts an ordinary stream as connecting from the moment it is opened", async () => {
    const open = () =>
      (async function* () {
        yield await new Promise<string>(() => {});
      })();
    const stop = runStream({ open, onMessage: () => {} });
    await vi.advanceTimersByTimeAsync(1000);
    expect(reported()).toEqual(["connecting"]);
    stop();
  });
});
