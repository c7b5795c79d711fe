import "server-only";
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
export const BATCH_SIZE = 500;
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

async function storeBatch(jobId: string, rows: EventRow[], counts: { received: number; rejected: number; bytes: number }, errors: IngestError[]): Promise<number> {
  const client = await getDb().pool.connect();
  try {
    await client.query("BEGIN");
    let inserted = 0;
    if (rows.length) {
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
        rows.map((r) => (r.original === null ? null : JSON.stringify(r.original))),
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

  const flush = async () => {
    counts.bytes = counter.bytes;
    const inserted = await storeBatch(job.id, batch, counts, errors);
    stored += inserted;
    duplicates += batch.length - inserted;
    batch = [];
    input.onProgress?.({ bytes: counter.bytes, received: counts.received, stored });
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
    await flush();
  } catch (error) {
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
