import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { firstSequence, type UserEvent, type UserEventLog } from "./user-event-log.js";

const bytes = (text: string) => new TextEncoder().encode(text);
const text = (event: UserEvent) => new TextDecoder().decode(event.payload);

/**
 * The behaviour every adapter shares (in memory, Redis, the embedded state service's); `make(kept)` opens two
 * handles on one log that keeps `kept` events per account (two replicas over Redis, two processes remotely).
 */
export function userEventLogContract(
  name: string,
  make: (kept: number) => { a: UserEventLog; b: UserEventLog },
) {
  describe(name, () => {
    let a: UserEventLog;
    let b: UserEventLog;
    beforeAll(() => {
      ({ a, b } = make(5));
    });
    afterAll(async () => {
      await a.close();
      await b.close();
    });

    it("numbers each account's events consecutively, in append order, from a time-based first sequence", async () => {
      const alice = randomUUID();
      const bob = randomUUID();
      const before = firstSequence(new Date());
      await a.append([
        { accountId: alice, payload: bytes("a1") },
        { accountId: bob, payload: bytes("b1") },
        { accountId: alice, payload: bytes("a2") },
      ]);
      await b.append([{ accountId: alice, payload: bytes("a3") }]);
      const fresh = await b.replay(alice);
      expect(fresh.retained).toBe(false);
      const replay = await b.replay(alice, fresh.latest - 3n);
      if (!replay.retained) throw new Error("expected the events to be retained");
      expect(replay.events.map(text)).toEqual(["a1", "a2", "a3"]);
      const sequences = replay.events.map((event) => event.sequence);
      expect(sequences[0]).toBeGreaterThanOrEqual(before);
      expect(sequences).toEqual([sequences[0], (sequences[0] ?? 0n) + 1n, (sequences[0] ?? 0n) + 2n]);
      expect(replay.latest).toBe(sequences[2]);
      const bobs = await a.replay(bob, (await a.replay(bob)).latest - 1n);
      expect(bobs.retained && bobs.events.map(text)).toEqual(["b1"]);
    });

    it("replays only what it keeps: an older or unknown sequence is not retained, the latest is, with nothing after it", async () => {
      const account = randomUUID();
      expect(await a.replay(account, 0n)).toEqual({ retained: true, latest: 0n, events: [] });
      expect(await a.replay(account, 7n)).toEqual({ retained: false, latest: 0n });
      // Enough to trim whole stream nodes on Redis (its trimming is approximate); memory keeps exactly 5.
      const payloads = Array.from({ length: 400 }, (_, i) => ({
        accountId: account,
        payload: bytes(`e${i}`),
      }));
      await a.append(payloads);
      const { latest } = await b.replay(account);
      const first = latest - 399n;
      expect(await b.replay(account, first - 1n)).toEqual({ retained: false, latest });
      expect(await b.replay(account, latest + 1n)).toEqual({ retained: false, latest });
      expect(await b.replay(account, latest)).toEqual({ retained: true, latest, events: [] });
      const recent = await b.replay(account, latest - 5n);
      expect(recent.retained && recent.events.map(text)).toEqual(["e395", "e396", "e397", "e398", "e399"]);
    });

    it("tells live subscribers of an account its events only, in order, until they close", async () => {
      const account = randomUUID();
      const other = randomUUID();
      const heard: string[] = [];
      const heardSequences: bigint[] = [];
      const subscription = b.subscribe(account, (event) => {
        heard.push(text(event));
        heardSequences.push(event.sequence);
      });
      const twice: string[] = [];
      const second = b.subscribe(account, (event) => twice.push(text(event)));
      await Promise.all([subscription.ready, second.ready]);
      const sent = Array.from({ length: 50 }, (_, i) => `m${i}`);
      for (const message of sent) {
        await a.append([
          { accountId: account, payload: bytes(message) },
          { accountId: other, payload: bytes("elsewhere") },
        ]);
      }
      await vi.waitFor(() => expect(heard).toHaveLength(sent.length), { timeout: 5_000 });
      expect(heard).toEqual(sent);
      const { latest } = await a.replay(account);
      expect(heardSequences.at(-1)).toBe(latest);
      second.close();
      await vi.waitFor(() => expect(twice).toHaveLength(sent.length), { timeout: 5_000 });
      subscription.close();
      await a.append([{ accountId: account, payload: bytes("after close") }]);
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(heard).toEqual(sent);
      expect(twice).toEqual(sent);
    });
  });
}
