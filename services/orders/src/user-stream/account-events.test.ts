import { MemoryUserEventLog } from "@bourse/trading/user-events";
import { Code, ConnectError } from "@connectrpc/connect";
import { expect, it } from "vitest";
import { AccountEvents } from "./account-events.js";

const payload = (text: string) => ({ accountId: "alice", payload: new TextEncoder().encode(text) });

it("hands the account's live events over in order, and ends a reader that falls further behind than its buffer", async () => {
  const log = new MemoryUserEventLog();
  const live = new AccountEvents(log, "alice", 3);
  await live.ready;
  const reader = live.events(new AbortController().signal);
  await log.append([payload("a"), { accountId: "bob", payload: new Uint8Array() }, payload("b")]);
  const first = await reader.next();
  expect(new TextDecoder().decode(first.value?.payload)).toBe("a");
  // "b" still waits; three more pass the buffer of 3, and the backlog is dropped rather than kept.
  await log.append([payload("c"), payload("d"), payload("e")]);
  const refused = await reader.next().catch((error: unknown) => ConnectError.from(error));
  expect(refused).toMatchObject({ code: Code.ResourceExhausted });
  live.close();
});

it("ends quietly when its signal aborts, and closing it unsubscribes", async () => {
  const log = new MemoryUserEventLog();
  const live = new AccountEvents(log, "alice", 10);
  const stop = new AbortController();
  const reader = live.events(stop.signal);
  const waiting = reader.next();
  stop.abort();
  expect(await waiting).toEqual({ done: true, value: undefined });
  live.close();
  // Still subscribed, eleven more would overflow its buffer of 10 and the next read would throw.
  await log.append(Array.from({ length: 11 }, (_, i) => payload(`after ${i}`)));
  const again = new AbortController();
  const next = live.events(again.signal).next();
  again.abort();
  expect(await next).toEqual({ done: true, value: undefined });
});
