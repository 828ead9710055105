import { appendFile, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { launchTypeScript } from "../../testing/launched-process.js";
import { cond } from "../condition.js";
import { ConditionFailedError, TransactionCanceledError } from "../errors.js";
import type { Item } from "../model.js";
import { queryAll } from "../query-all.js";
import type { Query, Store } from "../store.js";
import { describeStoreContract } from "../store-contract.js";
import { TIME_TO_LIVE_ATTRIBUTE } from "../time-to-live.js";
import { encodeRecord, HEADER_BYTES } from "./journal-format.js";
import type { MemoryStore } from "./memory-store.js";
import { JOURNAL_FILE, openPersistentMemoryStore, SNAPSHOT_FILE } from "./persistent-memory-store.js";

const directories: string[] = [];
const open: MemoryStore[] = [];

async function dataDir(): Promise<string> {
  const parent = await mkdtemp(join(tmpdir(), "bourse-store-"));
  directories.push(parent);
  return join(parent, "data");
}

async function reopen(dir: string, previous?: MemoryStore, now?: () => Date): Promise<MemoryStore> {
  previous?.close();
  const store = await openPersistentMemoryStore(dir, { now });
  open.push(store);
  return store;
}

const journalSize = async (dir: string) => (await stat(join(dir, JOURNAL_FILE))).size;

/** Everything a set of queries and reads sees, to compare one store's state with another's. */
async function view(store: Store, queries: readonly Query[], keys: readonly Item[]): Promise<unknown> {
  return {
    pages: await Promise.all(queries.map((query) => store.query(query))),
    items: await store.getMany(keys.map(({ PK, SK }) => ({ PK, SK }))),
  };
}

afterEach(() => {
  for (const store of open.splice(0)) store.close();
});

afterAll(async () => {
  await Promise.all(directories.map((dir) => rm(dir, { recursive: true, force: true })));
});

describe("openPersistentMemoryStore", () => {
  it("keeps puts, updates, deletes and transactions, with their index entries, across a reopen", async () => {
    const dir = await dataDir();
    const first = await reopen(dir);
    await first.put({ PK: "USER#1", SK: "PROFILE", name: "Ada", GSI1PK: "EMAIL", GSI1SK: "ada@x" });
    await first.put({
      PK: "USER#1",
      SK: "BAL#BTC",
      available: 10n ** 30n,
      held: 0n,
      raw: new Uint8Array([1, 2]),
    });
    await first.put({ PK: "USER#2", SK: "PROFILE", name: "Bob", GSI1PK: "EMAIL", GSI1SK: "bob@x" });
    await first.put({ PK: "USER#3", SK: "PROFILE", name: "Cy", GSI1PK: "EMAIL", GSI1SK: "cy@x" });
    await first.update(
      { PK: "USER#1", SK: "BAL#BTC" },
      { add: { available: -3n, held: 3n }, set: { tags: { a: [1, "b"] } } },
    );
    await first.update({ PK: "USER#2", SK: "PROFILE" }, { set: { GSI1SK: "bobby@x" } });
    await first.update({ PK: "USER#3", SK: "PROFILE" }, { remove: ["GSI1PK"] });
    await first.delete({ PK: "USER#2", SK: "GONE" });
    await first.transactWrite([
      { kind: "put", item: { PK: "ORDER#1", SK: "ORDER", status: "NEW", GSI2PK: "OPEN", GSI2SK: "1" } },
      { kind: "put", item: { PK: "ORDER#2", SK: "ORDER", status: "NEW", GSI2PK: "OPEN", GSI2SK: "2" } },
      { kind: "update", key: { PK: "USER#1", SK: "BAL#BTC" }, update: { add: { held: 1n } } },
      { kind: "conditionCheck", key: { PK: "USER#1", SK: "PROFILE" }, condition: cond.exists("PK") },
    ]);
    await first.transactWrite([
      { kind: "delete", key: { PK: "ORDER#1", SK: "ORDER" } },
      {
        kind: "update",
        key: { PK: "ORDER#2", SK: "ORDER" },
        update: { set: { status: "FILLED" }, remove: ["GSI2PK"] },
      },
    ]);
    await first.delete({ PK: "USER#3", SK: "PROFILE" });

    const queries: Query[] = [
      { partition: "USER#1" },
      { partition: "USER#3" },
      { index: "GSI1", partition: "EMAIL" },
      { index: "GSI2", partition: "OPEN" },
      { index: "GSI1", partition: "EMAIL", limit: 1, forward: false },
    ];
    const keys: Item[] = [
      { PK: "ORDER#1", SK: "ORDER" },
      { PK: "ORDER#2", SK: "ORDER" },
      { PK: "USER#2", SK: "PROFILE" },
    ];
    const before = await view(first, queries, keys);
    const second = await reopen(dir, first);
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
    expect(await view(second, queries, keys)).toEqual(before);
    expect(await second.get({ PK: "USER#1", SK: "BAL#BTC" })).toEqual({
      PK: "USER#1",
      SK: "BAL#BTC",
      available: 10n ** 30n - 3n,
      held: 4,
      raw: new Uint8Array([1, 2]),
      tags: { a: [1, "b"] },
    });
    expect(
      (await second.query({ index: "GSI1", partition: "EMAIL" })).items.map((item) => item.name),
    ).toEqual(["Ada", "Bob"]);
    expect(await second.get({ PK: "ORDER#2", SK: "ORDER" })).toEqual({
      PK: "ORDER#2",
      SK: "ORDER",
      status: "FILLED",
      GSI2SK: "2",
    });
  });

  it("ignores a record cut short by a crash, and goes on journaling after it", async () => {
    const dir = await dataDir();
    const first = await reopen(dir);
    await first.put({ PK: "P", SK: "1", n: 1 });
    await first.put({ PK: "P", SK: "2", n: 2 });
    first.close();
    const torn = encodeRecord([["P", "3", { PK: "P", SK: "3", n: 3 }]]);
    await appendFile(join(dir, JOURNAL_FILE), torn.subarray(0, torn.length - 1));

    const second = await reopen(dir);
    expect((await second.query({ partition: "P" })).items).toEqual([
      { PK: "P", SK: "1", n: 1 },
      { PK: "P", SK: "2", n: 2 },
    ]);
    await second.put({ PK: "P", SK: "4", n: 4 });
    const third = await reopen(dir, second);
    expect((await third.query({ partition: "P" })).items.map((item) => item.n)).toEqual([1, 2, 4]);
  });

  it("ignores a last record whose bytes do not match its checksum", async () => {
    const dir = await dataDir();
    const first = await reopen(dir);
    await first.put({ PK: "P", SK: "1", n: 1 });
    await first.put({ PK: "P", SK: "2", n: 2 });
    first.close();
    const journal = await readFile(join(dir, JOURNAL_FILE));
    journal.writeUInt8(journal.readUInt8(journal.length - 1) ^ 0xff, journal.length - 1);
    await writeFile(join(dir, JOURNAL_FILE), journal);

    const second = await reopen(dir);
    expect((await second.query({ partition: "P" })).items).toEqual([{ PK: "P", SK: "1", n: 1 }]);
  });

  it("ignores zeros at the end of the journal, as a machine crash may leave them", async () => {
    const dir = await dataDir();
    const first = await reopen(dir);
    await first.put({ PK: "P", SK: "1", n: 1 });
    first.close();
    await appendFile(join(dir, JOURNAL_FILE), Buffer.alloc(64));

    const second = await reopen(dir);
    expect((await second.query({ partition: "P" })).items).toEqual([{ PK: "P", SK: "1", n: 1 }]);
  });

  it("compacts its journal while it runs once the journal passes its limit, losing nothing", async () => {
    const dir = await dataDir();
    const first = await openPersistentMemoryStore(dir, { compactJournalAt: 4096 });
    open.push(first);
    let compactions = 0;
    let size = await journalSize(dir);
    for (let i = 0; i < 600; i++) {
      await first.put({
        PK: `P#${i % 5}`,
        SK: String(i).padStart(4, "0"),
        i,
        GSI1PK: "ALL",
        GSI1SK: String(i),
      });
      if (i % 3 === 0)
        await first.update({ PK: `P#${i % 5}`, SK: String(i).padStart(4, "0") }, { add: { i: 1000 } });
      if (i % 7 === 0) await first.delete({ PK: `P#${(i + 1) % 5}`, SK: String(i - 6).padStart(4, "0") });
      const next = await journalSize(dir);
      if (next < size) compactions++;
      size = next;
    }
    const snapshotSize = (await stat(join(dir, SNAPSHOT_FILE))).size;
    expect(compactions).toBeGreaterThanOrEqual(3);
    expect(size).toBeLessThan(Math.max(4096, 4 * snapshotSize) + 1024);
    const queries: Query[] = Array.from({ length: 5 }, (_, i) => ({ partition: `P#${i}` }));
    queries.push({ index: "GSI1", partition: "ALL" });
    const before = await view(first, queries, []);

    const second = await reopen(dir, first);
    expect(await view(second, queries, [])).toEqual(before);
  });

  it("journals nothing for a canceled transaction or a refused write", async () => {
    const dir = await dataDir();
    const first = await reopen(dir);
    await first.put({ PK: "ACC", SK: "BAL", available: 5n });
    const size = await journalSize(dir);
    await expect(
      first.transactWrite([
        { kind: "put", item: { PK: "ACC", SK: "ORDER#1", status: "NEW" } },
        {
          kind: "update",
          key: { PK: "ACC", SK: "BAL" },
          update: { add: { available: -10n } },
          condition: cond.gte("available", 10n),
        },
      ]),
    ).rejects.toBeInstanceOf(TransactionCanceledError);
    await expect(
      first.put({ PK: "ACC", SK: "BAL", available: 0n }, { condition: cond.notExists("PK") }),
    ).rejects.toBeInstanceOf(ConditionFailedError);
    await first.transactWrite([
      { kind: "conditionCheck", key: { PK: "ACC", SK: "BAL" }, condition: cond.exists("PK") },
    ]);
    expect(await journalSize(dir)).toBe(size);

    const second = await reopen(dir, first);
    expect((await second.query({ partition: "ACC" })).items).toEqual([
      { PK: "ACC", SK: "BAL", available: 5 },
    ]);
  });

  it("compacts on open into a snapshot and an empty journal, keeping everything", async () => {
    const dir = await dataDir();
    const first = await reopen(dir);
    const count = 2_500;
    for (let i = 0; i < count; i++) {
      await first.put({
        PK: `P#${i % 7}`,
        SK: String(i).padStart(5, "0"),
        i,
        GSI1PK: "ALL",
        GSI1SK: String(count - i),
      });
    }
    await first.delete({ PK: "P#0", SK: "00000" });
    const queries: Query[] = Array.from({ length: 7 }, (_, i) => ({ partition: `P#${i}` }));
    queries.push({ index: "GSI1", partition: "ALL", limit: 3000 });
    const before = await view(first, queries, []);

    const second = await reopen(dir, first);
    expect(await journalSize(dir)).toBe(HEADER_BYTES);
    expect((await stat(join(dir, SNAPSHOT_FILE))).size).toBeGreaterThan(count * 20);
    expect(await view(second, queries, [])).toEqual(before);
    await second.update({ PK: "P#1", SK: "00001" }, { set: { changed: true } });

    const third = await reopen(dir, second);
    const page = await third.query({ index: "GSI1", partition: "ALL", limit: 3000 });
    expect(page.items).toHaveLength(count - 1);
    expect(await third.get({ PK: "P#1", SK: "00001" })).toMatchObject({ i: 1, changed: true });
  });

  it("drops, when it opens, the items whose time to live has passed", async () => {
    const dir = await dataDir();
    const now = new Date("2026-01-01T00:00:00Z");
    const seconds = now.getTime() / 1000;
    const first = await reopen(dir, undefined, () => now);
    await first.put({ PK: "T", SK: "past", [TIME_TO_LIVE_ATTRIBUTE]: seconds - 1 });
    await first.put({ PK: "T", SK: "now", [TIME_TO_LIVE_ATTRIBUTE]: seconds });
    await first.put({ PK: "T", SK: "future", [TIME_TO_LIVE_ATTRIBUTE]: seconds + 1 });
    await first.put({ PK: "T", SK: "text", [TIME_TO_LIVE_ATTRIBUTE]: "1970-01-01" });
    expect((await first.query({ partition: "T" })).items).toHaveLength(4);

    const second = await reopen(dir, first, () => now);
    expect((await second.query({ partition: "T" })).items.map((item) => item.SK)).toEqual(["future", "text"]);
  });

  it("keeps a second store out of an open data dir, and takes over one whose holder is gone", async () => {
    const dir = await dataDir();
    const first = await reopen(dir);
    await first.put({ PK: "P", SK: "1" });
    await expect(openPersistentMemoryStore(dir)).rejects.toThrow(/already open in this process/);
    first.close();
    await writeFile(join(dir, "LOCK"), `${process.ppid}\n`);
    await expect(openPersistentMemoryStore(dir)).rejects.toThrow(/in use by process/);
    await writeFile(join(dir, "LOCK"), "2147483646\n");
    const second = await reopen(dir);
    expect(await second.get({ PK: "P", SK: "1" })).toEqual({ PK: "P", SK: "1" });
    first.close();
    await expect(openPersistentMemoryStore(dir)).rejects.toThrow(/already open/);
    second.close();
    // Its own pid, held by no store here: left by an earlier life of a process that had this pid too.
    await writeFile(join(dir, "LOCK"), `${process.pid}\n`);
    expect(await (await reopen(dir)).get({ PK: "P", SK: "1" })).toBeDefined();
  });

  it("refuses files of another format version instead of replacing them", async () => {
    const dir = await dataDir();
    const first = await reopen(dir);
    await first.put({ PK: "P", SK: "1" });
    first.close();
    const journal = await readFile(join(dir, JOURNAL_FILE));
    journal.writeUInt32LE(99, 4);
    await writeFile(join(dir, JOURNAL_FILE), journal);
    await expect(openPersistentMemoryStore(dir)).rejects.toThrow(/version 99/);
    journal.writeUInt32LE(1, 4);
    await writeFile(join(dir, JOURNAL_FILE), journal);
    expect(await (await reopen(dir)).get({ PK: "P", SK: "1" })).toBeDefined();
  });

  it("refuses writes once closed, so none is acknowledged without being journaled", async () => {
    const dir = await dataDir();
    const store = await openPersistentMemoryStore(dir, { compactJournalAt: 1 });
    await store.put({ PK: "P", SK: "1" });
    store.close();
    const snapshot = await readFile(join(dir, SNAPSHOT_FILE));
    // The journal is past its limit, so a write would compact first: a closed store must not.
    await expect(store.put({ PK: "P", SK: "2" })).rejects.toThrow(/closed/);
    expect(await store.get({ PK: "P", SK: "2" })).toBeUndefined();
    expect(await readFile(join(dir, SNAPSHOT_FILE))).toEqual(snapshot);
    expect(await (await reopen(dir)).get({ PK: "P", SK: "1" })).toBeDefined();
  });
});

describe("a persisted store killed while writing", () => {
  async function killWhileWriting(compactJournalAt?: number): Promise<void> {
    const dir = await dataDir();
    const writer = launchTypeScript(fileURLToPath(new URL("./fixtures/journal-writer.ts", import.meta.url)), {
      env: process.env,
      args: compactJournalAt === undefined ? [dir] : [dir, String(compactJournalAt)],
    });
    await writer.logLine(/^acked 2000$/);
    writer.child.kill("SIGKILL");
    await writer.exited;
    const acked = writer
      .output()
      .split("\n")
      .filter((line) => line.startsWith("acked "))
      .map((line) => Number(line.slice("acked ".length)));
    const lastAcked = Math.max(...acked);

    const store = await reopen(dir);
    const orders = await queryAll(store, { partition: "ORDERS" });
    const count = (await store.get({ PK: "COUNT", SK: "COUNT" }))?.orders;
    expect(orders.length).toBeGreaterThan(lastAcked);
    expect(orders.map((order) => order.n)).toEqual(orders.map((_, n) => n));
    expect(count).toBe(orders.length);
  }

  it("keeps every acknowledged write, and each transaction whole", async () => {
    await killWhileWriting();
  });

  it("does so while it compacts its journal over and over", async () => {
    await killWhileWriting(16 * 1024);
  });
});

describe("a journaled MemoryStore", () => {
  let store: MemoryStore | undefined;
  beforeAll(async () => {
    store = await openPersistentMemoryStore(await dataDir());
  });
  afterAll(() => store?.close());
  describeStoreContract("keeps the store contract", () => store as MemoryStore);
});
