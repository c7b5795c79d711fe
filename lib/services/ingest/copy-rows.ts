/**
 * PostgreSQL's binary COPY format for the event table's rows
 * (https://www.postgresql.org/docs/current/sql-copy.html#id-1.9.3.55.9.4): no I/O, no database.
 */
import type { EventRow } from "@/lib/services/event-record";

/** rows of a batch (the ingest's batch size; the row index grows past it when needed) */
export const BATCH_SIZE = 5000;

/** The ids reserved for a batch, as runs of consecutive values (kept small: a batch holds them while it is written). */
export type IdRuns = Array<[low: number, high: number]>;

export function parseRuns(runs: string, count: number): IdRuns {
  const parsed = runs.split(",").map((run) => run.split("-").map(Number) as [number, number]); // ids stay far below 2^53
  const total = parsed.reduce((n, [low, high]) => n + high - low + 1, 0);
  if (total !== count) throw new Error(`reserved ${total} ids for ${count} rows`);
  return parsed;
}

/** Calls `each` with every id of `runs`, in order. */
function eachId(runs: IdRuns, each: (id: number, index: number) => void): void {
  let index = 0;
  for (const [low, high] of runs) for (let id = low; id <= high; id++) each(id, index++);
}

const PG_EPOCH_MS = Date.UTC(2000, 0, 1);
const BINARY_HEADER = Buffer.from("PGCOPY\n\xff\r\n\0\0\0\0\0\0\0\0\0", "latin1");
const BINARY_TRAILER = Buffer.from([0xff, 0xff]);

/**
 * A batch's rows in COPY's binary format, encoded as they come: the batch holds bytes outside the
 * JS heap rather than strings the garbage collector would copy around until the batch is written.
 * Binary: nothing to escape on our side or to unescape and parse on the server's (a timestamp is
 * a 64-bit count of microseconds since 2000, jsonb a version byte and the JSON text).
 */
export class CopyRows {
  private buffer: Buffer;
  private used: number;
  /** where each row starts in `buffer` */
  private starts: Int32Array;
  /** rows added */
  private count = 0;
  /** where the rows are put in the order they are sent (see data) */
  private out: Buffer | null = null;
  private readonly job: Buffer;

  constructor(
    private readonly buffers: SpareBuffers,
    jobId: string,
  ) {
    this.buffer = buffers.take(0);
    this.starts = buffers.takeIndex();
    this.used = BINARY_HEADER.copy(this.buffer, 0);
    this.job = Buffer.from(jobId.replace(/-/g, ""), "hex");
  }

  add(r: EventRow): void {
    const chars =
      r.fingerprint.length +
      r.docJson.length +
      (r.originalJson?.length ?? 0) +
      (r.hostName?.length ?? 0) +
      (r.userName?.length ?? 0) +
      (r.eventCode?.length ?? 0) +
      (r.dataset?.length ?? 0) +
      (r.provider?.length ?? 0) +
      (r.sourceIndex?.length ?? 0) +
      (r.sourceId?.length ?? 0);
    this.reserve(128 + 3 * chars);
    const b = this.buffer;
    let o = this.used;
    this.begin(o);
    b.writeInt16BE(15, o); // fields
    b.writeInt32BE(8, o + 2); // `id` and `ingested`: see fill()
    b.writeInt32BE(8, o + 14);
    o = text(b, o + 26, r.fingerprint);
    o = time(b, o, r.timestamp);
    o = time(b, o, r.detectTime);
    o = text(b, o, r.hostName);
    o = text(b, o, r.userName);
    o = text(b, o, r.eventCode);
    o = text(b, o, r.dataset);
    o = text(b, o, r.provider);
    o = text(b, o, r.sourceIndex);
    o = text(b, o, r.sourceId);
    o = jsonb(b, o, r.docJson);
    o = jsonb(b, o, r.originalJson);
    b.writeInt32BE(16, o);
    this.used = o + 4 + this.job.copy(b, o + 4);
  }

  /** The rows' fingerprints, read back from the encoded rows whenever needed (see orderedRows). */
  fingerprints(): string[] {
    // a row starts with its field count (2 bytes), `id` and `ingested` (4 + 8 each); the fingerprint follows
    const fingerprints: string[] = [];
    for (let i = 0; i < this.count; i++) {
      const start = this.starts[i];
      fingerprints.push(this.buffer.toString("utf8", start + 30, start + 30 + this.buffer.readInt32BE(start + 26)));
    }
    return fingerprints;
  }

  /** A small hash of each row's fingerprint: equal fingerprints, equal hashes (see markRepeats). */
  fingerprintHashes(): Int32Array {
    const { buffer, starts } = this;
    const hashes = new Int32Array(this.count);
    for (let i = 0; i < this.count; i++) {
      const from = starts[i] + 30;
      hashes[i] = fingerprintHash(buffer, from, from + buffer.readInt32BE(starts[i] + 26));
    }
    return hashes;
  }

  /** Writes `id` and `ingested` into every row; `now` is in microseconds since the Unix epoch. */
  private fill(ids: IdRuns, now: bigint): void {
    const { buffer, starts } = this;
    const ingested = Buffer.allocUnsafe(8);
    ingested.writeBigInt64BE(now - BigInt(PG_EPOCH_MS) * 1000n);
    eachId(ids, (id, i) => {
      const start = starts[i];
      const high = Math.floor(id / 0x100000000);
      buffer.writeInt32BE(high, start + 6);
      buffer.writeUInt32BE(id - high * 0x100000000, start + 10);
      for (let j = 0; j < 8; j++) buffer[start + 18 + j] = ingested[j];
    });
  }

  private begin(start: number): void {
    if (this.count === this.starts.length) {
      const more = new Int32Array(this.starts.length * 2);
      more.set(this.starts);
      this.starts = more;
    }
    this.starts[this.count++] = start;
  }

  private end(i: number): number {
    return i + 1 < this.count ? this.starts[i + 1] : this.used;
  }

  private reserve(bytes: number): void {
    if (this.used + bytes <= this.buffer.length) return;
    const bigger = this.buffers.take(Math.max(this.used + bytes, this.buffer.length * 2));
    this.buffer.copy(bigger, 0, 0, this.used);
    this.buffers.give(this.buffer);
    this.buffer = bigger;
  }

  /** The COPY data of the rows in `order` (indexes into the rows as added), with their ids and `ingested`. */
  data(ids: IdRuns, now: bigint, order: number[]): Buffer {
    this.fill(ids, now);
    const { buffer, starts, used } = this;
    if (!this.out || this.out.length < used + BINARY_TRAILER.length) {
      if (this.out) this.buffers.give(this.out);
      this.out = this.buffers.take(used + BINARY_TRAILER.length);
    }
    const out = this.out;
    let at = BINARY_HEADER.copy(out, 0);
    for (const i of order) at += buffer.copy(out, at, starts[i], this.end(i));
    at += BINARY_TRAILER.copy(out, at);
    return out.subarray(0, at);
  }

  /** Gives the buffers back, for later batches, once this one is written. */
  release(): void {
    this.buffers.give(this.buffer);
    if (this.out) this.buffers.give(this.out);
    this.buffers.giveIndex(this.starts);
    this.out = null;
  }
}

/**
 * Buffers for the batches' COPY data and row offsets, reused: memory allocated per batch would
 * only be given back by the collector's full runs.
 */
export class SpareBuffers {
  private readonly spare: Buffer[] = [];
  private readonly indexes: Int32Array[] = [];

  takeIndex(): Int32Array {
    return this.indexes.pop() ?? new Int32Array(BATCH_SIZE);
  }

  giveIndex(index: Int32Array): void {
    this.indexes.push(index);
  }

  take(bytes: number): Buffer {
    const i = this.spare.findIndex((b) => b.length >= bytes);
    return i >= 0 ? this.spare.splice(i, 1)[0] : Buffer.allocUnsafe(Math.max(bytes, 4 << 20));
  }

  give(buffer: Buffer): void {
    this.spare.push(buffer);
  }
}

/** FNV-1a of a fingerprint's UTF-8 bytes, cut to 30 bits: small integers, so a Set of them holds no objects. */
function fingerprintHash(bytes: Buffer, from: number, to: number): number {
  let h = 0x811c9dc5;
  for (let j = from; j < to; j++) h = Math.imul(h ^ bytes[j], 0x01000193);
  return h & 0x3fffffff;
}

function text(b: Buffer, o: number, value: string | null): number {
  if (value === null) return b.writeInt32BE(-1, o);
  const n = b.write(value, o + 4);
  b.writeInt32BE(n, o);
  return o + 4 + n;
}

function jsonb(b: Buffer, o: number, json: string | null): number {
  if (json === null) return b.writeInt32BE(-1, o);
  b[o + 4] = 1; // jsonb format version
  const n = b.write(json, o + 5);
  b.writeInt32BE(n + 1, o);
  return o + 5 + n;
}

function time(b: Buffer, o: number, date: Date): number {
  b.writeInt32BE(8, o);
  const micros = (date.getTime() - PG_EPOCH_MS) * 1000;
  if (!Number.isSafeInteger(micros)) return b.writeBigInt64BE(BigInt(date.getTime() - PG_EPOCH_MS) * 1000n, o + 4);
  const high = Math.floor(micros / 0x100000000);
  b.writeInt32BE(high, o + 4);
  return b.writeUInt32BE(micros - high * 0x100000000, o + 8);
}
