import type { WinEvent } from "@/lib/winevent/types";
import { ChunkBinXml } from "./binxml";
import { computeCrc32, updateCrc32 } from "./crc32";
import { formatFileTime } from "./values";
import { toWinEvent } from "./win-event";
import { isElement, renderXml, type XElement } from "./xml-tree";

/*
 * EVTX layout, from libyal's "Windows XML Event Log (EVTX)" format documentation:
 * a 4096-byte file header block, then 64 KiB chunks, each a 512-byte header (with the
 * common string table and template pointer table) followed by event records.
 */
export const FILE_HEADER_BLOCK_SIZE = 4096;
export const CHUNK_SIZE = 65536;
const CHUNK_HEADER_SIZE = 512;
const RECORD_HEADER_SIZE = 24;
const RECORD_MAGIC = 0x00002a2a; // "**\0\0" read as little-endian uint32
const FILE_MAGIC = "ElfFile\0";
const CHUNK_MAGIC = "ElfChnk\0";

export type EvtxRecordResult =
  | { ok: true; chunk: number; recordId: number; offset: number; written: string; event: WinEvent; xml: string }
  | { ok: false; chunk: number; offset: number; recordId?: number; reason: string };

export interface EvtxFileHeader {
  firstChunk: number;
  lastChunk: number;
  nextRecordId: number;
  headerSize: number;
  majorVersion: number;
  minorVersion: number;
  headerBlockSize: number;
  chunkCount: number;
  /** 0x1 dirty (not closed cleanly), 0x2 full */
  flags: number;
  checksumOk: boolean;
}

/** One problem found while reading; offsets are absolute file offsets. */
export interface EvtxDamage {
  scope: "file" | "chunk" | "record";
  chunk?: number;
  offset: number;
  recordId?: number;
  reason: string;
  /** what the reader did about it */
  action: "continued" | "chunk-skipped" | "record-skipped" | "rest-of-chunk-skipped";
}

export interface EvtxSummary {
  header: EvtxFileHeader;
  /** chunks present in the file (a trailing partial chunk counts) */
  chunksSeen: number;
  /** chunks whose records were read */
  chunksRead: number;
  /** never-used chunks (all-zero header), not damage */
  chunksEmpty: number;
  recordsOk: number;
  recordsFailed: number;
  damage: EvtxDamage[];
}

export interface EvtxReadOptions {
  /** Called once when the input is exhausted (also when the consumer stops early). */
  onSummary?: (summary: EvtxSummary) => void;
  /** Skip chunks whose header or data CRC32 does not match (default: read them and report). */
  skipBadChecksumChunks?: boolean;
  /** Render `xml` for each record (default true); set false to save time when only `event` is used. */
  renderXml?: boolean;
}

function hasMagic(bytes: Uint8Array, off: number, magic: string): boolean {
  if (bytes.length < off + magic.length) return false;
  for (let i = 0; i < magic.length; i++) if (bytes[off + i] !== magic.charCodeAt(i)) return false;
  return true;
}

function hex(n: number): string {
  return `0x${n.toString(16).padStart(8, "0")}`;
}

/** Reads and checks the file header; throws only when the input is not EVTX at all. */
export function readEvtxFileHeader(bytes: Uint8Array): EvtxFileHeader {
  if (!hasMagic(bytes, 0, FILE_MAGIC)) throw new Error("not an EVTX file: bad magic at offset 0");
  if (bytes.length < 128) throw new Error(`not an EVTX file: header truncated at ${bytes.length} bytes`);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return {
    firstChunk: Number(dv.getBigUint64(8, true)),
    lastChunk: Number(dv.getBigUint64(16, true)),
    nextRecordId: Number(dv.getBigUint64(24, true)),
    headerSize: dv.getUint32(32, true),
    minorVersion: dv.getUint16(36, true),
    majorVersion: dv.getUint16(38, true),
    headerBlockSize: dv.getUint16(40, true),
    chunkCount: dv.getUint16(42, true),
    flags: dv.getUint32(120, true),
    checksumOk: computeCrc32(bytes, 0, 120) === dv.getUint32(124, true),
  };
}

function newSummary(header: EvtxFileHeader): EvtxSummary {
  return { header, chunksSeen: 0, chunksRead: 0, chunksEmpty: 0, recordsOk: 0, recordsFailed: 0, damage: [] };
}

function checkHeader(header: EvtxFileHeader, summary: EvtxSummary): void {
  if (!header.checksumOk)
    summary.damage.push({
      scope: "file",
      offset: 124,
      reason: "bad file header CRC32 (bytes 0-120)",
      action: "continued",
    });
  if (header.majorVersion !== 3)
    summary.damage.push({
      scope: "file",
      offset: 38,
      reason: `unexpected major version ${header.majorVersion}`,
      action: "continued",
    });
}

function isZero(bytes: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (bytes[i] !== 0) return false;
  return true;
}

/** A plausible record at `pos`: magic, sane size, and the trailing size copy agrees. */
function isRecordAt(bytes: Uint8Array, dv: DataView, pos: number): boolean {
  if (pos + RECORD_HEADER_SIZE + 4 > bytes.length || dv.getUint32(pos, true) !== RECORD_MAGIC) return false;
  const size = dv.getUint32(pos + 4, true);
  return size >= RECORD_HEADER_SIZE + 4 && pos + size <= bytes.length && dv.getUint32(pos + size - 4, true) === size;
}

/** After a broken record: the next offset (4-byte aligned, as Windows writes) where a record plausibly starts. */
function findNextRecord(bytes: Uint8Array, dv: DataView, from: number): number {
  for (let p = (from + 3) & ~3; p + RECORD_HEADER_SIZE + 4 <= bytes.length; p += 4)
    if (isRecordAt(bytes, dv, p)) return p;
  return -1;
}

/**
 * Reads one chunk (`bytes` may be shorter than 64 KiB when the file is truncated).
 * Never throws: problems become `{ ok: false }` results and summary damage entries.
 */
export function* readEvtxChunk(
  bytes: Uint8Array,
  chunk: number,
  fileOffset: number,
  summary: EvtxSummary,
  opts: EvtxReadOptions = {},
): Generator<EvtxRecordResult> {
  summary.chunksSeen++;
  const damage = (reason: string, offset: number, action: EvtxDamage["action"]) =>
    summary.damage.push({ scope: "chunk", chunk, offset: fileOffset + offset, reason, action });
  if (bytes.length < CHUNK_HEADER_SIZE) {
    if (!isZero(bytes, 0, bytes.length)) damage(`truncated chunk: only ${bytes.length} bytes`, 0, "chunk-skipped");
    return;
  }
  if (!hasMagic(bytes, 0, CHUNK_MAGIC)) {
    if (isZero(bytes, 0, CHUNK_HEADER_SIZE)) {
      summary.chunksEmpty++;
      return;
    }
    damage("bad chunk magic (expected ElfChnk\\0)", 0, "chunk-skipped");
    return;
  }
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let checksumBad = false;
  if (bytes.length < CHUNK_SIZE)
    damage(`truncated chunk: ${bytes.length} of ${CHUNK_SIZE} bytes`, bytes.length, "continued");
  const headerCrc = updateCrc32(computeCrc32(bytes, 0, 120), bytes, 128, CHUNK_HEADER_SIZE);
  const headerOk = headerCrc === dv.getUint32(124, true);
  if (!headerOk) {
    checksumBad = true;
    damage(
      `bad chunk header CRC32: stored ${hex(dv.getUint32(124, true))}, computed ${hex(headerCrc)}`,
      124,
      "continued",
    );
  }
  const freeSpace = dv.getUint32(48, true);
  const freeSpaceOk = freeSpace >= CHUNK_HEADER_SIZE && freeSpace <= CHUNK_SIZE;
  if (freeSpaceOk && freeSpace <= bytes.length) {
    const dataCrc = computeCrc32(bytes, CHUNK_HEADER_SIZE, freeSpace);
    if (dataCrc !== dv.getUint32(52, true)) {
      checksumBad = true;
      damage(`bad chunk data CRC32: stored ${hex(dv.getUint32(52, true))}, computed ${hex(dataCrc)}`, 52, "continued");
    }
  }
  if (checksumBad && opts.skipBadChecksumChunks) {
    summary.damage[summary.damage.length - 1].action = "chunk-skipped";
    return;
  }
  summary.chunksRead++;
  const limit = headerOk && freeSpaceOk ? Math.min(freeSpace, bytes.length) : bytes.length;
  const binxml = new ChunkBinXml(bytes);
  let pos = CHUNK_HEADER_SIZE;
  while (pos + RECORD_HEADER_SIZE <= limit) {
    if (dv.getUint32(pos, true) !== RECORD_MAGIC) {
      // Past the last record Windows leaves zeros; anything else inside the used area is damage.
      if (headerOk && freeSpaceOk && pos < freeSpace) {
        const next = findNextRecord(bytes, dv, pos + 1);
        const action = next < 0 ? "rest-of-chunk-skipped" : "continued";
        summary.damage.push({ scope: "record", chunk, offset: fileOffset + pos, reason: "bad record magic", action });
        summary.recordsFailed++;
        yield { ok: false, chunk, offset: fileOffset + pos, reason: "bad record magic" };
        if (next < 0) return;
        pos = next;
        continue;
      }
      return;
    }
    const recordId = Number(dv.getBigUint64(pos + 8, true));
    if (!isRecordAt(bytes, dv, pos)) {
      const size = dv.getUint32(pos + 4, true);
      const reason =
        pos + size > bytes.length && size <= CHUNK_SIZE
          ? `record truncated: size ${size} runs past the ${bytes.length} bytes of the chunk`
          : `bad record size ${size}`;
      const next = findNextRecord(bytes, dv, pos + 4);
      const action = next < 0 ? "rest-of-chunk-skipped" : "record-skipped";
      summary.damage.push({ scope: "record", chunk, offset: fileOffset + pos, recordId, reason, action });
      summary.recordsFailed++;
      yield { ok: false, chunk, offset: fileOffset + pos, recordId, reason };
      if (next < 0) return;
      pos = next;
      continue;
    }
    const size = dv.getUint32(pos + 4, true);
    const offset = fileOffset + pos;
    try {
      const written = formatFileTime(dv.getBigUint64(pos + 16, true));
      const root = binxml.renderFragment(pos + RECORD_HEADER_SIZE, pos + size - 4).find(isElement) as
        XElement | undefined;
      if (!root) throw new Error("record has no root element");
      const event = toWinEvent(root);
      const xml = opts.renderXml === false ? "" : renderXml(root);
      summary.recordsOk++;
      yield { ok: true, chunk, recordId, offset, written, event, xml };
    } catch (e) {
      const reason = (e as Error).message;
      summary.recordsFailed++;
      summary.damage.push({ scope: "record", chunk, offset, recordId, reason, action: "record-skipped" });
      yield { ok: false, chunk, offset, recordId, reason };
    }
    pos += size;
  }
}

/**
 * Whole-file variant for tests and small inputs. Throws only for non-EVTX input.
 */
export function parseEvtxBuffer(
  bytes: Uint8Array,
  opts: EvtxReadOptions = {},
): { records: EvtxRecordResult[]; summary: EvtxSummary } {
  const header = readEvtxFileHeader(bytes);
  const summary = newSummary(header);
  checkHeader(header, summary);
  const records: EvtxRecordResult[] = [];
  const first = header.checksumOk && header.headerBlockSize >= 128 ? header.headerBlockSize : FILE_HEADER_BLOCK_SIZE;
  for (let off = first, i = 0; off < bytes.length; off += CHUNK_SIZE, i++) {
    for (const r of readEvtxChunk(bytes.subarray(off, Math.min(off + CHUNK_SIZE, bytes.length)), i, off, summary, opts))
      records.push(r);
  }
  opts.onSummary?.(summary);
  return { records, summary };
}

/** Collects incoming pieces and hands out exact-size blocks, copying each byte once. */
class ByteQueue {
  private pieces: Uint8Array[] = [];
  private head = 0;
  length = 0;

  push(p: Uint8Array): void {
    if (p.length) {
      this.pieces.push(p);
      this.length += p.length;
    }
  }

  take(n: number): Uint8Array {
    n = Math.min(n, this.length);
    const out = new Uint8Array(n);
    let filled = 0;
    while (filled < n) {
      const p = this.pieces[0];
      const k = Math.min(p.length - this.head, n - filled);
      out.set(p.subarray(this.head, this.head + k), filled);
      filled += k;
      this.head += k;
      if (this.head === p.length) {
        this.pieces.shift();
        this.head = 0;
      }
    }
    this.length -= n;
    return out;
  }
}

/**
 * Streams records chunk by chunk: holds the file header block plus at most one 64 KiB chunk
 * (and whatever the source's last piece overhangs), never the whole file. The iterator does
 * not throw for damaged input; it throws `not an EVTX file: bad magic at offset 0` when the
 * input does not start with the EVTX file header. The damage report arrives via `onSummary`.
 */
export async function* parseEvtxRecords(
  source: AsyncIterable<Uint8Array>,
  opts: EvtxReadOptions = {},
): AsyncGenerator<EvtxRecordResult> {
  const it = source[Symbol.asyncIterator]();
  const queue = new ByteQueue();
  let done = false;
  const fill = async (n: number) => {
    while (!done && queue.length < n) {
      const r = await it.next();
      if (r.done) done = true;
      else queue.push(r.value);
    }
  };
  let summary: EvtxSummary | undefined;
  try {
    await fill(FILE_HEADER_BLOCK_SIZE);
    const headerBlock = queue.take(FILE_HEADER_BLOCK_SIZE);
    const header = readEvtxFileHeader(headerBlock);
    summary = newSummary(header);
    checkHeader(header, summary);
    // A checked header may declare a larger header block; skip the rest of it.
    if (header.checksumOk && header.headerBlockSize > FILE_HEADER_BLOCK_SIZE) {
      await fill(header.headerBlockSize - FILE_HEADER_BLOCK_SIZE);
      queue.take(header.headerBlockSize - FILE_HEADER_BLOCK_SIZE);
    }
    let fileOffset =
      header.checksumOk && header.headerBlockSize > FILE_HEADER_BLOCK_SIZE
        ? header.headerBlockSize
        : FILE_HEADER_BLOCK_SIZE;
    for (let index = 0; ; index++) {
      await fill(CHUNK_SIZE);
      if (queue.length === 0) break;
      const chunk = queue.take(CHUNK_SIZE);
      yield* readEvtxChunk(chunk, index, fileOffset, summary, opts);
      fileOffset += chunk.length;
    }
  } finally {
    if (!done) await it.return?.();
    if (summary) opts.onSummary?.(summary);
  }
}
