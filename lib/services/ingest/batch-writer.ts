import "server-only";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { getDb } from "@/lib/db/client";
import { ruleSql } from "@/lib/services/detection-service";
import type { EventRow } from "@/lib/services/event-record";
import { CopyRows, parseRuns, SpareBuffers, type IdRuns } from "@/lib/services/ingest/copy-rows";
import { markRepeats } from "@/lib/services/ingest/repeats";
import type { IngestError, InsertMode } from "@/lib/services/ingest/types";

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

/**
 * How often a batch chosen as a deadlock's victim is tried again (ingests of overlapping files can lock each other
 * out).
 */
const DEADLOCK_RETRIES = 8;

/** What a batch adds to its job's counts (the job row's counts are sums of committed batches). */
export interface BatchCounts {
  received: number;
  rejected: number;
  replaced: number;
  /** bytes read so far (the job keeps the largest) */
  bytes: number;
  /** the rejections reported since the batch before */
  errors: IngestError[];
}

// errors stay in input order whatever order batches commit in
const ADD_BATCH_COUNTS = `
UPDATE "ingest_job" SET "received" = "received" + $2, "rejected" = "rejected" + $3, "bytes" = GREATEST("bytes", $4),
       "stored" = "stored" + $5, "duplicates" = "duplicates" + $6, "replaced" = "replaced" + $8, "heartbeat_at" = now(),
       "errors" = CASE WHEN jsonb_array_length($7::jsonb) = 0 THEN "errors"
                       ELSE (SELECT jsonb_agg(e ORDER BY (e->>'index')::bigint) FROM jsonb_array_elements("errors" || $7::jsonb) e) END
 WHERE "id" = $1`;

/**
 * Events of a batch that were stored before this ingest (a re-sent file, the part stored before a
 * crash) and that the rule's SQL selects: recorded for the rule run after the ingest, which covers
 * them as well as the events this ingest stored (see detectForIngestJob).
 */
async function recordRepeatedCandidates(client: pg.PoolClient, jobId: string, fingerprints: string[]): Promise<void> {
  const rule = ruleSql(`e."doc"`, 2);
  await client.query(
    `INSERT INTO "ingest_job_duplicate" ("job_id", "event_id")
     SELECT $1::uuid, e."id" FROM "event" e
      WHERE e."fingerprint" = ANY($2::text[]) AND e."ingest_job_id" IS DISTINCT FROM $1::uuid AND (${rule.sql})
     ON CONFLICT DO NOTHING`,
    [jobId, fingerprints, ...rule.params],
  );
}

/**
 * Writes an ingest's batches, each with what it adds to the job's counts in one transaction, so
 * the job row always counts exactly what is stored (what an interrupted upload leaves behind).
 * With COPY and a pool of two or more connections, a batch is written while the one before it
 * still is: the database's work is what parsing waits for otherwise.
 */
export class BatchWriter {
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
    for (let attempt = 0; ; attempt++) {
      try {
        if (this.mode === "values") return await this.transaction(insertByValues, batch, counts);
        if (attempt === 0)
          return await this.transaction(this.optimistic ? insertOptimistic : insertChecked, batch, counts);
        return await this.transaction(insertByStage, batch, counts);
      } catch (error) {
        // The input repeats events stored before (or within itself), another ingest stored some
        // of them meanwhile, or an ingest of overlapping events deadlocked with this batch: it is
        // redone with ON CONFLICT (values mode always inserts with ON CONFLICT; it only retries a deadlock).
        const conflict = this.mode !== "values" && attempt === 0 && isFingerprintConflict(error);
        if (!conflict && !(isDeadlock(error) && attempt < DEADLOCK_RETRIES)) throw error;
        if (conflict) this.optimistic = false;
        // a victim retried at once tends to meet the same other batch in the same order again
        else await new Promise((resolve) => setTimeout(resolve, 20 + Math.random() * 80 * attempt));
      }
    }
  }

  private async transaction(insert: Insert, batch: Batch, counts: BatchCounts): Promise<number> {
    const client = await getDb().pool.connect();
    try {
      await client.query("BEGIN");
      await batch.reserveIds(client);
      const inserted = batch.size ? await insert(client, this.jobId, batch) : 0;
      if (inserted < batch.size)
        await recordRepeatedCandidates(
          client,
          this.jobId,
          batch.copy ? batch.copy.fingerprints() : batch.rows!.map((r) => r.fingerprint),
        );
      await client.query(ADD_BATCH_COUNTS, [
        this.jobId,
        counts.received,
        counts.rejected,
        counts.bytes,
        inserted,
        batch.size - inserted,
        JSON.stringify(counts.errors),
        counts.replaced,
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

/**
 * The rows being collected for the next batch — not their parsed documents, which are garbage as
 * soon as each row is made: COPY data for COPY, the rows for the array insert.
 */
export class PendingBatch {
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
