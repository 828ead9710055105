import { closeSync, fsyncSync, ftruncateSync, openSync, writeSync } from "node:fs";
import type { Item } from "../model.js";
import { encodeRecord, HEADER_BYTES, headerOf, type JournalRecord } from "./journal-format.js";

/** Where a MemoryStore records what it applies: one record per write or per whole transaction. */
export interface StoreJournal {
  /** Records the writes before they are applied; a write whose record cannot be made fails unapplied. */
  append(record: JournalRecord): void;
  close(): void;
}

/**
 * Makes a store's journal, given the items the store holds at the moment of the call (for a snapshot:
 * the stored objects themselves, which nothing changes in place, so they are read and never changed).
 */
export type OpenStoreJournal = (storedItems: () => readonly Item[]) => StoreJournal;

function writeAll(fd: number, bytes: Buffer, position: number): void {
  let written = 0;
  while (written < bytes.length) {
    written += writeSync(fd, bytes, written, bytes.length - written, position + written);
  }
}

/**
 * The journal file, appended to synchronously so that a record is in the operating system's hands
 * before the write it records is acknowledged: a process crash (even `kill -9`) loses nothing
 * acknowledged. Records are not fsynced one by one (that would cost milliseconds per write), so a crash of
 * the machine itself may lose the last writes; `close()` fsyncs.
 */
export class JournalFile implements StoreJournal {
  private fd: number | undefined;
  private size = HEADER_BYTES;
  private damage: Error | undefined;

  /** Starts an empty journal at `path`, replacing any file there. */
  constructor(private readonly path: string) {
    const fd = openSync(path, "w", 0o600);
    try {
      writeAll(fd, headerOf("journal"), 0);
      fsyncSync(fd);
    } catch (error) {
      closeSync(fd);
      throw error;
    }
    this.fd = fd;
  }

  /** Its length in bytes, header included. */
  get bytes(): number {
    return this.size;
  }

  /** Empties it, once a snapshot holds everything it recorded. */
  reset(): void {
    const fd = this.openFd();
    ftruncateSync(fd, HEADER_BYTES);
    this.size = HEADER_BYTES;
    fsyncSync(fd);
  }

  append(record: JournalRecord): void {
    const fd = this.openFd();
    const bytes = encodeRecord(record);
    try {
      writeAll(fd, bytes, this.size);
    } catch (error) {
      // Cut off what part of the record made it (a full disk), so that later records follow whole ones.
      try {
        ftruncateSync(fd, this.size);
      } catch (truncateError) {
        this.damage = truncateError as Error;
      }
      throw error;
    }
    this.size += bytes.length;
  }

  private openFd(): number {
    if (this.fd === undefined) throw new Error(`the store journal ${this.path} is closed`);
    if (this.damage) throw new Error(`the store journal ${this.path} is damaged`, { cause: this.damage });
    return this.fd;
  }

  close(): void {
    if (this.fd === undefined) return;
    const fd = this.fd;
    this.fd = undefined;
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }
}
