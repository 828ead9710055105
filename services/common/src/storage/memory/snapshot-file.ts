import { closeSync, fsyncSync, openSync, renameSync, writeSync } from "node:fs";
import { join } from "node:path";
import type { Item } from "../model.js";
import { encodeRecord, headerOf } from "./journal-format.js";

export const SNAPSHOT_FILE = "store.snapshot";
const SNAPSHOT_RECORD_ITEMS = 1000;

function writeAll(fd: number, bytes: Buffer): number {
  let written = 0;
  while (written < bytes.length) written += writeSync(fd, bytes, written);
  return written;
}

function syncDir(dir: string): void {
  const fd = openSync(dir, "r");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Writes every item as the dir's snapshot: into a temporary file, fsynced, then renamed over the old
 * snapshot, so that a crash leaves one or the other whole. Synchronous, so that no write lands while the
 * items are read. Returns the snapshot's size in bytes.
 */
export function writeSnapshot(dir: string, items: readonly Item[]): number {
  const path = join(dir, SNAPSHOT_FILE);
  const temporary = `${path}.tmp`;
  const fd = openSync(temporary, "w", 0o600);
  let size = 0;
  try {
    size += writeAll(fd, headerOf("snapshot"));
    for (let start = 0; start < items.length; start += SNAPSHOT_RECORD_ITEMS) {
      const chunk = items.slice(start, start + SNAPSHOT_RECORD_ITEMS);
      size += writeAll(fd, encodeRecord(chunk.map((item) => [item.PK, item.SK, item])));
    }
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temporary, path);
  syncDir(dir);
  return size;
}
