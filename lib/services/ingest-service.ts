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
export const BATCH_SIZE = 1000;
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
   * How batches reach the table: "copy" streams them with COPY into a staging table (fast; real
   * PostgreSQL), "values" sends them as array parameters (the embedded PGlite cannot COPY FROM
   * STDIN). Default: "values" in embedded mode, else "copy".
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

const STAGE_COLUMNS = `"fingerprint" TEXT, "timestamp" TIMESTAMPTZ(3), "detect_time" TIMESTAMPTZ(3), "host_name" TEXT, "user_name" TEXT,
  "event_code" TEXT, "dataset" TEXT, "provider" TEXT, "source_index" TEXT, "source_id" TEXT, "doc" JSONB, "original" JSONB`;

const INSERT_FROM_STAGE = `
INSERT INTO "event" ("fingerprint", "timestamp", "ingested", "detect_time", "host_name", "user_name", "event_code",
                     "dataset", "provider", "source_index", "source_id", "doc", "original", "ingest_job_id")
SELECT "fingerprint", "timestamp", now(), "detect_time", "host_name", "user_name", "event_code",
       "dataset", "provider", "source_index", "source_id", "doc", "original", $1::uuid
  FROM "wmi_event_stage"
ON CONFLICT ("fingerprint") DO NOTHING`;

// COPY text format: backslash escapes for the characters that delimit fields and rows
function copyField(value: string | null): string {
  if (value === null) return "\\N";
  return value.replace(/[\\\n\r\t]/g, (c) => (c === "\\" ? "\\\\" : c === "\n" ? "\\n" : c === "\r" ? "\\r" : "\\t"));
}

function copyLine(r: EventRow): string {
  return `${[
    r.fingerprint,
    r.timestamp.toISOString(),
    r.detectTime.toISOString(),
    r.hostName,
    r.userName,
    r.eventCode,
    r.dataset,
    r.provider,
    r.sourceIndex,
    r.sourceId,
    r.docJson,
    r.originalJson,
  ]
    .map(copyField)
    .join("\t")}\n`;
}

async function insertByCopy(client: pg.PoolClient, jobId: string, rows: EventRow[]): Promise<number> {
  await client.query(`CREATE TEMP TABLE IF NOT EXISTS "wmi_event_stage" (${STAGE_COLUMNS}) ON COMMIT DELETE ROWS`);
  const stream = client.query(copyFrom(`COPY "wmi_event_stage" FROM STDIN`));
  // one chunk per batch: a CopyData message (and a socket write) per row costs more than the rows
  await pipeline(Readable.from([rows.map(copyLine).join("")]), stream);
  const result = await client.query(INSERT_FROM_STAGE, [jobId]);
  return result.rowCount ?? 0;
}

async function storeBatch(
  mode: InsertMode,
  jobId: string,
  rows: EventRow[],
  counts: { received: number; rejected: number; bytes: number },
  errors: IngestError[],
): Promise<number> {
  const client = await getDb().pool.connect();
  try {
    await client.query("BEGIN");
    let inserted = 0;
    if (rows.length && mode === "copy") {
      inserted = await insertByCopy(client, jobId, rows);
    } else if (rows.length) {
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
      inserted = result.rowCount ?? 0;
    }
    await client.query(
      `UPDATE "ingest_job" SET "received" = $2, "rejected" = $3, "bytes" = $4,
              "stored" = "stored" + $5, "duplicates" = "duplicates" + $6, "errors" = $7::jsonb WHERE "id" = $1`,
      [jobId, counts.received, counts.rejected, counts.bytes, inserted, rows.length - inserted, JSON.stringify(errors)],
    );
    await client.query("COMMIT");
    return inserted;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}

export async function ingestStream(input: IngestInput): Promise<IngestSummary> {
  const { prisma } = getDb();
  const started = Date.now();
  const job = await prisma.ingestJob.create({
    data: { source: input.source, fileName: input.fileName, format: input.format ?? null, createdBy: input.userId ?? null },
    select: { id: true },
  });
  const counter = { bytes: 0 };
  const counts = { received: 0, rejected: 0, bytes: 0 };
  const errors: IngestError[] = [];
  let stored = 0;
  let duplicates = 0;
  let batch: EventRow[] = [];
  let format: string | null = input.format ?? null;
  const mode = input.insertMode ?? defaultInsertMode();

  // One batch is written while the next is parsed; at most one write is in flight.
  let inFlight: Promise<void> | null = null;
  const flush = async () => {
    if (inFlight) await inFlight;
    counts.bytes = counter.bytes;
    const rows = batch;
    const snapshot = { ...counts };
    const errorsSoFar = [...errors];
    batch = [];
    const write = storeBatch(mode, job.id, rows, snapshot, errorsSoFar).then((inserted) => {
      stored += inserted;
      duplicates += rows.length - inserted;
      input.onProgress?.({ bytes: snapshot.bytes, received: snapshot.received, stored });
    });
    write.catch(() => {}); // handled where it is awaited; this only stops an "unhandled rejection" meanwhile
    inFlight = write;
  };
  const drain = async () => {
    await flush();
    await inFlight;
    inFlight = null;
  };

  let failure: string | null = null;
  try {
    const onFormat = (detected: InputFormat, compressed: boolean) => {
      format = compressed ? `${detected}+gzip` : detected;
    };
    for await (const result of readEventStream(countBytes(input.stream, counter), { fileName: input.fileName, format: input.format, onFormat })) {
      counts.received++;
      if (!result.ok) {
        counts.rejected++;
        if (errors.length < MAX_REPORTED_ERRORS) errors.push({ ...describePosition(result.position), reason: result.reason });
        continue;
      }
      try {
        batch.push(toEventRow(result));
      } catch (error) {
        if (!(error instanceof EventRowError)) throw error;
        counts.rejected++;
        const where = result.position.line ? `line ${result.position.line}` : `record ${result.position.index}`;
        if (errors.length < MAX_REPORTED_ERRORS) errors.push({ ...describePosition(result.position), reason: `${where}: ${error.message}` });
      }
      if (batch.length >= BATCH_SIZE) await flush();
    }
    await drain();
  } catch (error) {
    // The input broke off (client gone, truncated stream): every record read whole before the
    // break is good data and is kept; a write that fails itself stops here.
    await drain().catch(() => {});
    failure = error instanceof UnreadableInputError ? error.message : `ingest stopped: ${error instanceof Error ? error.message : String(error)}`;
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
