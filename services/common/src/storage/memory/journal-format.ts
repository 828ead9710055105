import { deserialize, serialize } from "node:v8";
import { crc32 } from "node:zlib";
import type { Item } from "../model.js";

/*
 * The on-disk format of a persisted MemoryStore (its snapshot and its journal): an 8-byte header (four
 * magic bytes naming the file's kind, then the format version as a little-endian uint32), then records,
 * each a little-endian uint32 body length, the body's CRC-32 and the body: a `node:v8` serialized array of
 * post-images. v8 serialization keeps every stored value exact (bigint, Uint8Array, nested maps); the files
 * are read back only by the same program, never by another runtime.
 */

/** What a write left under a key: the whole item, or undefined when it deleted the key. */
export type PostImage = readonly [pk: string, sk: string, item: Item | undefined];

/** One write, or one whole transaction's writes, in the order they were applied. */
export type JournalRecord = readonly PostImage[];

export type StoreFileKind = "snapshot" | "journal";

export const FORMAT_VERSION = 1;
export const HEADER_BYTES = 8;
const RECORD_PREFIX_BYTES = 8;
const MAGIC: Readonly<Record<StoreFileKind, string>> = { snapshot: "BSNP", journal: "BJNL" };

export function headerOf(kind: StoreFileKind): Buffer {
  const header = Buffer.alloc(HEADER_BYTES);
  header.write(MAGIC[kind], 0, "latin1");
  header.writeUInt32LE(FORMAT_VERSION, 4);
  return header;
}

export function encodeRecord(record: JournalRecord): Buffer {
  const body = serialize(record);
  const prefix = Buffer.alloc(RECORD_PREFIX_BYTES);
  prefix.writeUInt32LE(body.length, 0);
  prefix.writeUInt32LE(crc32(body), 4);
  return Buffer.concat([prefix, body]);
}

/** How far a file's records could be read: `torn` when bytes after the last whole record were left over. */
export interface DecodedFile {
  readonly end: number;
  readonly torn: boolean;
}

/**
 * Hands each whole record of a file to `onRecord`, in order, and stops at the first one that is cut short
 * or fails its checksum: what a crash in the middle of an append leaves. A file shorter than its header is
 * one whose creation was cut short, so it holds nothing. A foreign file or another version is refused.
 */
export function decodeFile(
  kind: StoreFileKind,
  bytes: Buffer,
  onRecord: (record: JournalRecord) => void,
): DecodedFile {
  if (bytes.length < HEADER_BYTES) return { end: 0, torn: bytes.length > 0 };
  if (bytes.toString("latin1", 0, 4) !== MAGIC[kind]) throw new Error(`not a Bourse store ${kind} file`);
  const version = bytes.readUInt32LE(4);
  if (version !== FORMAT_VERSION) {
    throw new Error(
      `store ${kind} format version ${version} is not supported (this build reads ${FORMAT_VERSION})`,
    );
  }
  let offset = HEADER_BYTES;
  while (offset < bytes.length) {
    const record = recordAt(bytes, offset);
    if (!record) return { end: offset, torn: true };
    onRecord(record.value);
    offset = record.end;
  }
  return { end: offset, torn: false };
}

function recordAt(bytes: Buffer, offset: number): { value: JournalRecord; end: number } | undefined {
  if (bytes.length - offset < RECORD_PREFIX_BYTES) return undefined;
  const length = bytes.readUInt32LE(offset);
  const start = offset + RECORD_PREFIX_BYTES;
  const end = start + length;
  if (end > bytes.length) return undefined;
  const body = bytes.subarray(start, end);
  if (crc32(body) !== bytes.readUInt32LE(offset + 4)) return undefined;
  try {
    return { value: deserialize(body) as JournalRecord, end };
  } catch {
    // Zeros (what a machine crash can leave at the end of a file) pass the checksum of an empty body.
    return undefined;
  }
}
