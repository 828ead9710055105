import { mkdir, open, readFile, rename } from "node:fs/promises";
import { join } from "node:path";
import type { Item } from "../model.js";
import { TIME_TO_LIVE_ATTRIBUTE } from "../time-to-live.js";
import { lockDataDir } from "./data-dir-lock.js";
import { JournalFile } from "./journal-file.js";
import { decodeFile, encodeRecord, headerOf, type JournalRecord } from "./journal-format.js";
import { MemoryStore } from "./memory-store.js";

export const SNAPSHOT_FILE = "store.snapshot";
export const JOURNAL_FILE = "store.journal";
const SNAPSHOT_RECORD_ITEMS = 1000;

export interface PersistentMemoryStoreOptions {
  /** The clock that tells which items' time to live has passed; the system clock by default. */
  readonly now?: () => Date;
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

/** Writes the snapshot beside the old one, then renames it over it, so a crash leaves one or the other. */
async function writeSnapshot(dir: string, items: readonly Item[]): Promise<void> {
  const path = join(dir, SNAPSHOT_FILE);
  const temporary = `${path}.tmp`;
  const file = await open(temporary, "w", 0o600);
  try {
    await file.write(headerOf("snapshot"));
    for (let start = 0; start < items.length; start += SNAPSHOT_RECORD_ITEMS) {
      const chunk = items.slice(start, start + SNAPSHOT_RECORD_ITEMS);
      await file.write(encodeRecord(chunk.map((item) => [item.PK, item.SK, item])));
    }
    await file.sync();
  } finally {
    await file.close();
  }
  await rename(temporary, path);
  const directory = await open(dir, "r");
  try {
    await directory.sync();
  } finally {
    await directory.close();
  }
}

/**
 * The embedded store persisted in `dir` (created with mode 0700): loads `store.snapshot`, replays
 * `store.journal` over it (ignoring a record cut short by a crash), then compacts: writes the whole state
 * as a new snapshot (atomically, by rename), starts an empty journal, and journals every write from there.
 * Items whose time to live has passed are dropped then, as DynamoDB would delete them. Journal records
 * hold post-images, so replaying a journal over a snapshot that already has its writes (a crash between the
 * rename and the new journal) changes nothing. A `LOCK` file keeps a second process out while the store is
 * open; `close()` fsyncs the journal and releases the dir.
 */
export async function openPersistentMemoryStore(
  dir: string,
  options: PersistentMemoryStoreOptions = {},
): Promise<MemoryStore> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const release = lockDataDir(dir);
  try {
    const items: Items = new Map();
    const snapshot = await readIfPresent(join(dir, SNAPSHOT_FILE));
    if (snapshot && decodeFile("snapshot", snapshot, (record) => applyRecord(items, record)).torn) {
      throw new Error(`the store snapshot in ${dir} is damaged`);
    }
    const journal = await readIfPresent(join(dir, JOURNAL_FILE));
    if (journal) decodeFile("journal", journal, (record) => applyRecord(items, record));
    const live = [...liveItems(items, (options.now ?? (() => new Date()))())];
    await writeSnapshot(dir, live);
    const file = new JournalFile(join(dir, JOURNAL_FILE));
    return new MemoryStore({
      items: live,
      journal: {
        append: (record) => file.append(record),
        close: () => {
          try {
            file.close();
          } finally {
            release();
          }
        },
      },
    });
  } catch (error) {
    release();
    throw error;
  }
}
