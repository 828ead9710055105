import { mkdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import type { Item } from "../model.js";
import { TIME_TO_LIVE_ATTRIBUTE } from "../time-to-live.js";
import { DataDirJournal } from "./data-dir-journal.js";
import { lockDataDir } from "./data-dir-lock.js";
import { JournalFile } from "./journal-file.js";
import { decodeFile, type JournalRecord } from "./journal-format.js";
import { MemoryStore } from "./memory-store.js";
import { SNAPSHOT_FILE, writeSnapshot } from "./snapshot-file.js";

export { SNAPSHOT_FILE } from "./snapshot-file.js";
export const JOURNAL_FILE = "store.journal";
const DEFAULT_COMPACT_AT = 64 * 1024 * 1024;

export interface PersistentMemoryStoreOptions {
  /** The clock that tells which items' time to live has passed; the system clock by default. */
  readonly now?: () => Date;
  /** The journal is compacted while the store runs once it holds this many bytes (64 MiB by default). */
  readonly compactJournalAt?: number;
}

/** The items of a data dir by partition and sort key, as its files are replayed. */
type Items = Map<string, Map<string, Item>>;

function applyRecord(items: Items, record: JournalRecord): void {
  for (const [pk, sk, item] of record) {
    let partition = items.get(pk);
    if (item) {
      if (!partition) {
        partition = new Map();
        items.set(pk, partition);
      }
      partition.set(sk, item);
    } else if (partition?.delete(sk) && partition.size === 0) {
      items.delete(pk);
    }
  }
}

async function readIfPresent(path: string): Promise<Buffer | undefined> {
  try {
    return await readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

/**
 * True when DynamoDB would delete the item for its time to live. A bigint there is beyond
 * `Number.MAX_SAFE_INTEGER` seconds, never past.
 */
function hasExpired(item: Item, now: Date): boolean {
  const expiresAt = item[TIME_TO_LIVE_ATTRIBUTE];
  return typeof expiresAt === "number" && expiresAt * 1000 <= now.getTime();
}

function* liveItems(items: Items, now: Date): Generator<Item> {
  for (const partition of items.values()) {
    for (const item of partition.values()) if (!hasExpired(item, now)) yield item;
  }
}

async function loadItems(dir: string): Promise<Items> {
  const items: Items = new Map();
  const snapshot = await readIfPresent(join(dir, SNAPSHOT_FILE));
  if (snapshot && decodeFile("snapshot", snapshot, (record) => applyRecord(items, record)).torn) {
    throw new Error(`the store snapshot in ${dir} is damaged`);
  }
  const journal = await readIfPresent(join(dir, JOURNAL_FILE));
  if (journal) decodeFile("journal", journal, (record) => applyRecord(items, record));
  return items;
}

/**
 * The embedded store persisted in `dir` (created with mode 0700): loads `store.snapshot`, replays
 * `store.journal` over it (ignoring a record cut short by a crash), then compacts: writes the whole state
 * as a new snapshot (atomically, by rename), starts an empty journal, and journals every write from there,
 * compacting again when the journal grows large (see DataDirJournal). Items whose time to live has passed
 * are dropped when it opens, as DynamoDB would delete them. Journal records hold post-images, so replaying a
 * journal over a snapshot that already has its writes (a crash between the rename and emptying the
 * journal) changes nothing. A `LOCK` file keeps anyone else out while the store is open; `close()` fsyncs
 * the journal and gives the dir up.
 */
export async function openPersistentMemoryStore(
  dir: string,
  options: PersistentMemoryStoreOptions = {},
): Promise<MemoryStore> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const release = lockDataDir(dir);
  try {
    const now = (options.now ?? (() => new Date()))();
    const live = [...liveItems(await loadItems(dir), now)];
    const snapshotBytes = writeSnapshot(dir, live);
    const file = new JournalFile(join(dir, JOURNAL_FILE));
    const compactAt = options.compactJournalAt ?? DEFAULT_COMPACT_AT;
    return new MemoryStore({
      items: live,
      journal: (storedItems) =>
        new DataDirJournal({ dir, file, storedItems, snapshotBytes, compactAt, release }),
    });
  } catch (error) {
    release();
    throw error;
  }
}
