import "server-only";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { getDb } from "@/lib/db/client";
import { readEventStream } from "@/lib/ingest/read-file";
import { UnreadableInputError, type InputFormat, type RecordPosition } from "@/lib/ingest/types";
import { detectForIngestJob } from "@/lib/services/detection-service";
import { EventRowError, toEventRow, type EventRow } from "@/lib/services/event-record";

/**
 * One ingest = one job row: stream-parse, batch-insert (each batch and the job's counts in one
 * transaction, so an interrupted upload leaves exact counts), skip duplicates by fingerprint,
 * then run the rule over the new events.
 */
export const BATCH_SIZE = 5000;
/** a batch is also written once its JSON text reaches this size (large records, e.g. XML originals) */
const MAX_BATCH_CHARS = 4 << 20;
const MAX_REPORTED_ERRORS = 100;

export type IngestSource = "upload" | "api" | "cli" | "demo" | "poll";

export interface IngestError {
  index: number;
  line?: number;
  offset?: number;
  recordId?: number;
  reason: string;
}

export interface IngestSummary {
  jobId: string;
  fileName: string;
  format: string | null;
  status: "succeeded" | "failed";
  received: number;
  stored: number;
  duplicates: number;
  rejected: number;
  alerts: number;
  bytes: number;
  durationMs: number;
  errors: IngestError[];
  message: string | null;
}

export interface IngestInput {
  source: IngestSource;
  fileName: string;
  format?: InputFormat;
  stream: AsyncIterable<Uint8Array>;
  userId?: string | null;
  onProgress?: (progress: { bytes: number; received: number; stored: number }) => void;
  /** skip the rule run after storing (bulk loads that run detection themselves) */
  skipDetection?: boolean;
  /**
   * How batches reach the table: "copy" streams them with COPY (fast; real PostgreSQL), "values"
   * sends them as array parameters (the embedded PGlite cannot COPY FROM STDIN). Default: "values"
   * in embedded mode, else "copy".
   */
  insertMode?: InsertMode;
}

export type InsertMode = "copy" | "values";

function defaultInsertMode(): InsertMode {
  return process.env.WMI_EMBEDDED === "1" ? "values" : "copy";
}

function describePosition(p: RecordPosition): Omit<IngestError, "reason"> {
  return { index: p.index, line: p.line, offset: p.offset, recordId: p.recordId };
}

async function* countBytes(stream: AsyncIterable<Uint8Array>, counter: { bytes: number }) {
  for await (const chunk of stream) {
    counter.bytes += chunk.byteLength;
    yield chunk;
  }
}

const INSERT_EVENTS = `
INSERT INTO "event" ("fingerprint", "timestamp", "ingested", "detect_time", "host_name", "user_name", "event_code",
                     "dataset", "provider", "source_index", "source_id", "doc", "original", "ingest_job_id")
SELECT f, ts, now(), dt, h, u, c, d, p, si, sid, doc, orig, $13::uuid
  FROM unnest($1::text[], $2::timestamptz[], $3::timestamptz[], $4::text[], $5::text[], $6::text[], $7::text[],
              $8::text[], $9::text[], $10::text[], $11::jsonb[], $12::jsonb[])
       AS t(f, ts, dt, h, u, c, d, p, si, sid, doc, orig)
ON CONFLICT ("fingerprint") DO NOTHING`;

// A COPY row's columns. `id` and `ingested` come first, with a fixed width: they are filled in
// when the batch is written (see CopyRows.data) — the ids reserved in input order, so that rows
// keep the order of the input although two batches may be copied at once; `ingested` is the
// transaction's now().
const COPY_COLUMNS = `"id", "ingested", "fingerprint", "timestamp", "detect_time", "host_name", "user_name", "event_code",
  "dataset", "provider", "source_index", "source_id", "doc", "original", "ingest_job_id"`;

const STAGE_COLUMNS = `"id" BIGINT, "ingested" TIMESTAMPTZ, "fingerprint" TEXT, "timestamp" TIMESTAMPTZ(3), "detect_time" TIMESTAMPTZ(3),
  "host_name" TEXT, "user_name" TEXT, "event_code" TEXT, "dataset" TEXT, "provider" TEXT, "source_index" TEXT, "source_id" TEXT,
  "doc" JSONB, "original" JSONB, "ingest_job_id" UUID`;

// in fingerprint order, as copyRows copies (byte order: JavaScript's for all but astral characters)
const INSERT_FROM_STAGE = `INSERT INTO "event" (${COPY_COLUMNS})
SELECT ${COPY_COLUMNS} FROM "wmi_event_stage" ORDER BY "fingerprint" COLLATE "C", "id" ON CONFLICT ("fingerprint") DO NOTHING`;

// The transaction's now() in microseconds since the Unix epoch; the column rounds it to
// milliseconds exactly as it rounds now() itself.
const NOW_MICROS = `(extract(epoch from now()) * 1000000)::bigint::text`;

// ids as the column's default would give them, one per row, in order; sent back as runs of
// consecutive values ("1001-6000", more runs when another session took values meanwhile)
const RESERVE_IDS = `
SELECT string_agg(min || '-' || max, ',' ORDER BY min) AS "runs"
  FROM (SELECT min(v), max(v) FROM (SELECT v, v - row_number() OVER (ORDER BY g) AS run
          FROM (SELECT g, nextval(pg_get_serial_sequence('"event"', 'id')) AS v FROM generate_series(1, $1) g) n) r
         GROUP BY run) runs`;

/** The ids reserved for a batch, as runs of consecutive values (kept small: a batch holds them while it is written). */
type IdRuns = Array<[low: number, high: number]>;

function parseRuns(runs: string, count: number): IdRuns {
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
class CopyRows {
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
class SpareBuffers {
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

async function copyIn(client: pg.PoolClient, table: string, data: Buffer): Promise<void> {
  // one chunk per batch: a CopyData message (and a socket write) per row costs more than the rows
  await pipeline(
    Readable.from([data]),
    client.query(copyFrom(`COPY "${table}" (${COPY_COLUMNS}) FROM STDIN (FORMAT binary)`)),
  );
}

async function transactionNow(client: pg.PoolClient): Promise<bigint> {
  const { rows } = await client.query<{ now: string }>(`SELECT ${NOW_MICROS} AS "now"`);
  return BigInt(rows[0].now);
}

/** A batch on its way to the table. */
interface Batch {
  /** rows in the batch, repeats included (what the job's counts count) */
  size: number;
  /** values mode */
  rows: EventRow[] | null;
  /** copy mode: the rows and their ids (see BatchWriter.idsInTurn) */
  copy: CopyRows | null;
  ids: IdRuns | null;
  reserveIds: (client: pg.PoolClient) => Promise<void>;
  /** copy mode: which rows to insert (1), not those repeating an earlier row of the input (0) */
  fresh: Uint8Array;
}

type Insert = (client: pg.PoolClient, jobId: string, batch: Batch) => Promise<number>;

/**
 * Copies the batch's fresh rows not in `stored`, in fingerprint order: ingests then take the
 * unique index's entries in one order, so that two of them storing the same events (the same
 * file twice, overlapping exports) wait for each other but never deadlock.
 */
async function copyRows(client: pg.PoolClient, batch: Batch, now: bigint, stored: Set<string> | null): Promise<number> {
  const { data, count } = orderedRows(batch, now, stored);
  if (count) await copyIn(client, "event", data);
  return count;
}

// Apart from copyRows, so that the fingerprints are garbage before the COPY is awaited: read back
// from the rows rather than kept, they never outlive a young-generation collection.
function orderedRows(batch: Batch, now: bigint, stored: Set<string> | null): { data: Buffer; count: number } {
  const { fresh } = batch;
  const fingerprints = batch.copy!.fingerprints();
  const order: number[] = [];
  for (let i = 0; i < batch.size; i++) if (fresh[i] && !stored?.has(fingerprints[i])) order.push(i);
  order.sort((a, b) => (fingerprints[a] < fingerprints[b] ? -1 : fingerprints[a] > fingerprints[b] ? 1 : 0));
  return { data: batch.copy!.data(batch.ids!, now, order), count: order.length };
}

/**
 * COPY straight into the table without looking anything up: the fast path while the input brings
 * only new events (no staging copy, no per-row conflict handling, and COPY's bulk-insert buffer
 * ring keeps the table's pages from pushing the indexes out of the buffer cache). An event that
 * is stored already makes it fail with a unique violation, and the batch is redone.
 */
const insertOptimistic: Insert = async (client, _jobId, batch) =>
  copyRows(client, batch, await transactionNow(client), null);

/** Looks the events up first and copies those not stored yet. */
const insertChecked: Insert = async (client, _jobId, batch) => {
  const found = await client.query<{ now: string; stored: string[] }>(
    `SELECT ${NOW_MICROS} AS "now", ARRAY(SELECT "fingerprint" FROM "event" WHERE "fingerprint" = ANY($1::text[])) AS "stored"`,
    [batch.copy!.fingerprints().filter((_, i) => batch.fresh[i])],
  );
  const { now, stored } = found.rows[0];
  return copyRows(client, batch, BigInt(now), new Set(stored));
};

/** Through a staging table and ON CONFLICT: right whatever other ingests store meanwhile. */
const insertByStage: Insert = async (client, _jobId, batch) => {
  await client.query(`CREATE TEMP TABLE IF NOT EXISTS "wmi_event_stage" (${STAGE_COLUMNS}) ON COMMIT DELETE ROWS`);
  const order: number[] = [];
  batch.fresh.forEach((fresh, i) => fresh && order.push(i));
  await copyIn(client, "wmi_event_stage", batch.copy!.data(batch.ids!, await transactionNow(client), order));
  const result = await client.query(INSERT_FROM_STAGE);
  return result.rowCount ?? 0;
};

const insertByValues: Insert = async (client, jobId, batch) => {
  const rows = batch.rows!;
  const result = await client.query(INSERT_EVENTS, [
    rows.map((r) => r.fingerprint),
    rows.map((r) => r.timestamp),
    rows.map((r) => r.detectTime),
    rows.map((r) => r.hostName),
    rows.map((r) => r.userName),
    rows.map((r) => r.eventCode),
    rows.map((r) => r.dataset),
    rows.map((r) => r.provider),
    rows.map((r) => r.sourceIndex),
    rows.map((r) => r.sourceId),
    rows.map((r) => r.docJson),
    rows.map((r) => r.originalJson),
    jobId,
  ]);
  return result.rowCount ?? 0;
};

const isFingerprintConflict = (error: unknown) =>
  (error as { code?: string }).code === "23505" &&
  (error as { constraint?: string }).constraint === "event_fingerprint_key";
const isDeadlock = (error: unknown) => (error as { code?: string }).code === "40P01";

/** How often a batch chosen as a deadlock's victim is tried again (ingests of overlapping files can lock each other out). */
const DEADLOCK_RETRIES = 3;

/** What a batch adds to its job's counts (the job row's counts are sums of committed batches). */
interface BatchCounts {
  received: number;
  rejected: number;
  /** bytes read so far (the job keeps the largest) */
  bytes: number;
  /** the rejections reported since the batch before */
  errors: IngestError[];
}

// errors stay in input order whatever order batches commit in
const ADD_BATCH_COUNTS = `
UPDATE "ingest_job" SET "received" = "received" + $2, "rejected" = "rejected" + $3, "bytes" = GREATEST("bytes", $4),
       "stored" = "stored" + $5, "duplicates" = "duplicates" + $6,
       "errors" = CASE WHEN jsonb_array_length($7::jsonb) = 0 THEN "errors"
                       ELSE (SELECT jsonb_agg(e ORDER BY (e->>'index')::bigint) FROM jsonb_array_elements("errors" || $7::jsonb) e) END
 WHERE "id" = $1`;

/**
 * Writes an ingest's batches, each with what it adds to the job's counts in one transaction, so
 * the job row always counts exactly what is stored (what an interrupted upload leaves behind).
 * With COPY and a pool of two or more connections, a batch is written while the one before it
 * still is: the database's work is what parsing waits for otherwise.
 */
class BatchWriter {
  readonly maxInFlight: number;
  /** copy mode: no event of this input was found stored yet, so batches go in without a look-up */
  private optimistic = true;
  private failure: { error: unknown } | null = null;
  private readonly buffers = new SpareBuffers();
  private lastReservation: Promise<void> = Promise.resolve();
  /** the batch written before (copy mode) */
  private earlier: { copy: CopyRows; done: Promise<unknown>; writing: boolean } | null = null;

  constructor(
    readonly mode: InsertMode,
    private readonly jobId: string,
  ) {
    const poolMax = getDb().pool.options.max ?? 1;
    this.maxInFlight = mode === "copy" && poolMax >= 2 ? 2 : 1;
  }

  newBatch(): PendingBatch {
    return new PendingBatch(this.mode === "values" ? null : new CopyRows(this.buffers, this.jobId));
  }

  /** Starts writing a batch; the promise settles when it is committed (or the write failed). */
  store(pending: PendingBatch, counts: BatchCounts): Promise<number> {
    // after a failed write no other batch is started
    if (this.failure) return Promise.reject(this.failure.error);
    const { copy, rows, size } = pending;
    const batch: Batch = { size, copy, rows, ids: null, reserveIds: async () => {}, fresh: new Uint8Array(size) };
    let write: Promise<number>;
    if (copy) {
      let reserved: (() => void) | null = null;
      if (size) [batch.reserveIds, reserved] = this.idsInTurn(batch);
      // Events the batch before holds too, while it is being written, are this batch's repeats
      // once that one is committed: this one waits for it (before it takes any lock). Once
      // committed, its events are found stored like any other.
      const earlier = this.earlier?.writing ? this.earlier : null;
      const repeats = markRepeats(batch, earlier?.copy ?? null);
      if (earlier && repeats) {
        write = earlier.done.then(() => {
          repeats.forEach((repeat, i) => repeat && (batch.fresh[i] = 0));
          return this.write(batch, counts);
        });
      } else {
        write = this.write(batch, counts);
      }
      const current = { copy, done: write, writing: true };
      this.earlier = current;
      write.then(
        () => {
          current.writing = false;
          copy.release();
        },
        () => {
          current.writing = false;
          // a batch that failed before reserving its ids must not hold up the next one's
          reserved?.();
        },
      );
    } else {
      batch.fresh.fill(1);
      write = this.write(batch, counts);
    }
    write.catch((error: unknown) => {
      this.failure ??= { error };
    });
    return write;
  }

  /**
   * Ids for a batch's rows, reserved after those of the batch before (whichever is copied first),
   * so that the table's ids follow the input as they did when batches were written one by one.
   */
  private idsInTurn(batch: Batch): [reserve: (client: pg.PoolClient) => Promise<void>, done: () => void] {
    const turn = this.lastReservation;
    let done!: () => void;
    this.lastReservation = new Promise<void>((resolve) => (done = resolve));
    const reserve = async (client: pg.PoolClient) => {
      if (batch.ids) return;
      try {
        await turn;
        batch.ids = parseRuns(
          (await client.query<{ runs: string }>(RESERVE_IDS, [batch.size])).rows[0].runs,
          batch.size,
        );
      } finally {
        done();
      }
    };
    return [reserve, done];
  }

  private async write(batch: Batch, counts: BatchCounts): Promise<number> {
    if (this.mode === "values") return this.transaction(insertByValues, batch, counts);
    for (let attempt = 0; ; attempt++) {
      try {
        if (attempt === 0)
          return await this.transaction(this.optimistic ? insertOptimistic : insertChecked, batch, counts);
        return await this.transaction(insertByStage, batch, counts);
      } catch (error) {
        // The input repeats events stored before (or within itself), another ingest stored some
        // of them meanwhile, or an ingest of overlapping events deadlocked with this batch: it is
        // redone with ON CONFLICT.
        const conflict = attempt === 0 && isFingerprintConflict(error);
        if (!conflict && !(isDeadlock(error) && attempt < DEADLOCK_RETRIES)) throw error;
        if (conflict) this.optimistic = false;
      }
    }
  }

  private async transaction(insert: Insert, batch: Batch, counts: BatchCounts): Promise<number> {
    const client = await getDb().pool.connect();
    try {
      await client.query("BEGIN");
      await batch.reserveIds(client);
      const inserted = batch.size ? await insert(client, this.jobId, batch) : 0;
      await client.query(ADD_BATCH_COUNTS, [
        this.jobId,
        counts.received,
        counts.rejected,
        counts.bytes,
        inserted,
        batch.size - inserted,
        JSON.stringify(counts.errors),
      ]);
      await client.query("COMMIT");
      return inserted;
    } catch (error) {
      await client.query("ROLLBACK").catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  }
}

/** A set of fingerprint hashes (non-negative 30-bit integers) in one typed array. */
class HashSet {
  private readonly slots: Int32Array;

  constructor(count: number) {
    this.slots = new Int32Array(2 ** Math.ceil(Math.log2(2 * count + 2))).fill(-1);
  }

  /** Adds `hash`; false when it was there already. */
  add(hash: number): boolean {
    const mask = this.slots.length - 1;
    for (let i = hash & mask; ; i = (i + 1) & mask) {
      if (this.slots[i] === hash) return false;
      if (this.slots[i] === -1) {
        this.slots[i] = hash;
        return true;
      }
    }
  }

  has(hash: number): boolean {
    const mask = this.slots.length - 1;
    for (let i = hash & mask; this.slots[i] !== -1; i = (i + 1) & mask) if (this.slots[i] === hash) return true;
    return false;
  }
}

/**
 * Marks the first of equal events in the batch as the one to store, as ON CONFLICT DO NOTHING in
 * input order keeps it, and returns which rows repeat an event of `earlier` (null: none). The
 * usual batch has no repeat: hashes of the fingerprints show that without a string for each; only
 * when two hashes meet are the fingerprints compared. A function of its own so that the strings
 * die young (see orderedRows).
 */
function markRepeats(batch: Batch, earlier: CopyRows | null): Uint8Array | null {
  const hashes = new HashSet(batch.size);
  let met = false;
  for (const h of batch.copy!.fingerprintHashes()) if (!hashes.add(h)) met = true;
  if (earlier && !met) for (const h of earlier.fingerprintHashes()) if (hashes.has(h)) met = true;
  if (!met) {
    batch.fresh.fill(1);
    return null;
  }
  const fingerprints = batch.copy!.fingerprints();
  const seen = new Set<string>();
  fingerprints.forEach((f, i) => {
    if (seen.has(f)) return;
    seen.add(f);
    batch.fresh[i] = 1;
  });
  if (!earlier) return null;
  const before = new Set(earlier.fingerprints());
  let repeats: Uint8Array | null = null;
  fingerprints.forEach((f, i) => {
    if (before.has(f)) (repeats ??= new Uint8Array(batch.size))[i] = 1;
  });
  return repeats;
}

/**
 * The rows being collected for the next batch — not their parsed documents, which are garbage as
 * soon as each row is made: COPY data for COPY, the rows for the array insert.
 */
class PendingBatch {
  size = 0;
  readonly rows: EventRow[] | null;
  /** JSON text held (batches are also cut by size: records can be large, e.g. with XML originals) */
  chars = 0;

  constructor(readonly copy: CopyRows | null) {
    this.rows = copy ? null : [];
  }

  add(row: EventRow): void {
    this.size++;
    this.chars += row.docJson.length + (row.originalJson?.length ?? 0);
    if (this.copy) this.copy.add(row);
    else this.rows!.push(row);
  }
}

export async function ingestStream(input: IngestInput): Promise<IngestSummary> {
  const { prisma } = getDb();
  const started = Date.now();
  const job = await prisma.ingestJob.create({
    data: {
      source: input.source,
      fileName: input.fileName,
      format: input.format ?? null,
      createdBy: input.userId ?? null,
    },
    select: { id: true },
  });
  const counter = { bytes: 0 };
  const counts = { received: 0, rejected: 0 };
  const errors: IngestError[] = [];
  let stored = 0;
  let duplicates = 0;
  let format: string | null = input.format ?? null;
  const writer = new BatchWriter(input.insertMode ?? defaultInsertMode(), job.id);
  let batch = writer.newBatch();

  // Batches are written while the next ones are parsed, at most writer.maxInFlight at a time.
  const writing: Promise<void>[] = [];
  const written = { received: 0, rejected: 0, errors: 0 };
  const progress = { bytes: 0, received: 0 };
  const flush = async () => {
    if (writing.length >= writer.maxInFlight) await writing.shift();
    const full = batch;
    const added: BatchCounts = {
      received: counts.received - written.received,
      rejected: counts.rejected - written.rejected,
      bytes: counter.bytes,
      errors: errors.slice(written.errors),
    };
    Object.assign(written, { received: counts.received, rejected: counts.rejected, errors: errors.length });
    batch = writer.newBatch();
    const write = writer.store(full, added).then((inserted) => {
      stored += inserted;
      duplicates += full.size - inserted;
      progress.bytes = Math.max(progress.bytes, added.bytes);
      progress.received += added.received;
      input.onProgress?.({ bytes: progress.bytes, received: progress.received, stored });
    });
    write.catch(() => {}); // handled where it is awaited; this only stops an "unhandled rejection" meanwhile
    writing.push(write);
  };
  const drain = async () => {
    try {
      await flush();
      while (writing.length) await writing.shift();
    } finally {
      await Promise.allSettled(writing.splice(0));
    }
  };

  let failure: string | null = null;
  try {
    const onFormat = (detected: InputFormat, compressed: boolean) => {
      format = compressed ? `${detected}+gzip` : detected;
    };
    for await (const result of readEventStream(countBytes(input.stream, counter), {
      fileName: input.fileName,
      format: input.format,
      onFormat,
    })) {
      counts.received++;
      if (!result.ok) {
        counts.rejected++;
        if (errors.length < MAX_REPORTED_ERRORS)
          errors.push({ ...describePosition(result.position), reason: result.reason });
        continue;
      }
      try {
        batch.add(toEventRow(result));
      } catch (error) {
        if (!(error instanceof EventRowError)) throw error;
        counts.rejected++;
        const where = result.position.line ? `line ${result.position.line}` : `record ${result.position.index}`;
        if (errors.length < MAX_REPORTED_ERRORS)
          errors.push({ ...describePosition(result.position), reason: `${where}: ${error.message}` });
      }
      if (batch.size >= BATCH_SIZE || batch.chars >= MAX_BATCH_CHARS) await flush();
    }
    await drain();
  } catch (error) {
    // The input broke off (client gone, truncated stream): every record read whole before the
    // break is good data and is kept; a write that fails itself stops here.
    await drain().catch(() => {});
    failure =
      error instanceof UnreadableInputError
        ? error.message
        : `ingest stopped: ${error instanceof Error ? error.message : String(error)}`;
    // keep what was stored before the failure; counts already reflect committed batches
  }

  let alerts = 0;
  if (!failure && !input.skipDetection) {
    try {
      alerts = (await detectForIngestJob(job.id, input.userId ?? null)).alertsCreated;
    } catch (error) {
      failure = `events stored, but the rule run failed: ${error instanceof Error ? error.message : String(error)}`;
    }
  }
  const status = failure ? "failed" : "succeeded";
  await prisma.ingestJob.update({
    where: { id: job.id },
    data: { status, message: failure, alerts, finishedAt: new Date(), format, bytes: BigInt(counter.bytes) },
  });
  return {
    jobId: job.id,
    fileName: input.fileName,
    format,
    status,
    received: counts.received,
    stored,
    duplicates,
    rejected: counts.rejected,
    alerts,
    bytes: counter.bytes,
    durationMs: Date.now() - started,
    errors,
    message: failure,
  };
}
